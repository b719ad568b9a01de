import { afterAll, describe, inject } from 'vitest';
import { DynamoSnapshotRepository } from '../../adapters/aws/dynamo-snapshot-repository.ts';
import { MemorySnapshotRepository } from '../../adapters/memory/memory-snapshot-repository.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { snapshotRepositoryContract } from './snapshot-repository.contract.ts';

describe('SnapshotRepository', () => {
  describe('in memory', () => {
    snapshotRepositoryContract((cursorSigner) => new MemorySnapshotRepository({ cursorSigner }));
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    snapshotRepositoryContract(
      (cursorSigner) => new DynamoSnapshotRepository({ client, tableName, cursorSigner }),
    );
  });
});
