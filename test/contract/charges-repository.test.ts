import { afterAll, describe, inject } from 'vitest';
import { DynamoChargesRepository } from '../../adapters/aws/dynamo-charges-repository.ts';
import { MemoryChargesRepository } from '../../adapters/memory/memory-charges-repository.ts';
import { chargesRepositoryContract } from './charges-repository.contract.ts';
import { localDocumentClient } from './dynamo-document-client.ts';

describe('ChargesRepository', () => {
  describe('in memory', () => {
    chargesRepositoryContract(() => new MemoryChargesRepository());
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    chargesRepositoryContract(() => new DynamoChargesRepository({ client, tableName }));
  });
});
