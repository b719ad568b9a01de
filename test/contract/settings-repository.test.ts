import { afterAll, describe, inject } from 'vitest';
import { DynamoSettingsRepository } from '../../adapters/aws/dynamo-settings-repository.ts';
import { MemorySettingsRepository } from '../../adapters/memory/memory-settings-repository.ts';
import { localDocumentClient } from './dynamo-document-client.ts';
import { settingsRepositoryContract } from './settings-repository.contract.ts';

describe('SettingsRepository', () => {
  describe('in memory', () => {
    settingsRepositoryContract(() => new MemorySettingsRepository());
  });

  describe('on DynamoDB Local', () => {
    const client = localDocumentClient(inject('dynamoEndpoint'));
    const tableName = inject('tableName');
    afterAll(() => client.destroy());

    settingsRepositoryContract(() => new DynamoSettingsRepository({ client, tableName }));
  });
});
