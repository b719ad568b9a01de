import { afterAll, describe, inject } from 'vitest';
import { DynamoOperationRepository } from '../../adapters/aws/dynamo-operation-repository.ts';
import { MemoryOperationRepository } from '../../adapters/memory/memory-operation-repository.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { operationRepositoryContract } from './operation-repository.contract.ts';

describe('OperationRepository', () => {
  describe('in memory', () => {
    operationRepositoryContract((cursorSigner) => new MemoryOperationRepository({ cursorSigner }));
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    operationRepositoryContract(
      (cursorSigner) => new DynamoOperationRepository({ client, tableName, cursorSigner }),
    );
  });
});
