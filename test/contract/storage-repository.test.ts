import { DynamoStorageRepository } from '../../adapters/aws/dynamo-storage-repository.ts';
import { MemoryStorageRepository } from '../../adapters/memory/memory-storage-repository.ts';
import { describeContract } from './describe-contract.ts';
import { storageRepositoryContract } from './storage-repository.contract.ts';

describeContract('StorageRepository', storageRepositoryContract, {
  memory: () => new MemoryStorageRepository(),
  dynamo: (table) => () => new DynamoStorageRepository(table),
});
