import { afterAll, describe, inject } from 'vitest';
import { DynamoUsageRepository } from '../../adapters/aws/dynamo-usage-repository.ts';
import { MemoryUsageRepository } from '../../adapters/memory/memory-usage-repository.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { usageRepositoryContract } from './usage-repository.contract.ts';

describe('UsageRepository', () => {
  describe('in memory', () => {
    usageRepositoryContract(() => new MemoryUsageRepository());
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    usageRepositoryContract(() => new DynamoUsageRepository({ client, tableName }));
  });
});
