import { afterAll, describe, inject } from 'vitest';
import { DynamoSliceRepository } from '../../adapters/aws/dynamo-slice-repository.ts';
import { MemorySliceRepository } from '../../adapters/memory/memory-slice-repository.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { sliceRepositoryContract } from './slice-repository.contract.ts';

describe('SliceRepository', () => {
  describe('in memory', () => {
    sliceRepositoryContract((cursorSigner) => new MemorySliceRepository({ cursorSigner }));
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    sliceRepositoryContract(
      (cursorSigner) => new DynamoSliceRepository({ client, tableName, cursorSigner }),
    );
  });
});
