import { DynamoSettingsRepository } from '../../adapters/aws/dynamo-settings-repository.ts';
import { MemorySettingsRepository } from '../../adapters/memory/memory-settings-repository.ts';
import { describeContract } from './describe-contract.ts';
import { settingsRepositoryContract } from './settings-repository.contract.ts';

describeContract('SettingsRepository', settingsRepositoryContract, {
  memory: () => new MemorySettingsRepository(),
  dynamo: (table) => () => new DynamoSettingsRepository(table),
});
