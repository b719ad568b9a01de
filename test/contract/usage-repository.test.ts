import { DynamoUsageRepository } from '../../adapters/aws/dynamo-usage-repository.ts';
import { MemoryUsageRepository } from '../../adapters/memory/memory-usage-repository.ts';
import { describeContract } from './describe-contract.ts';
import { usageRepositoryContract } from './usage-repository.contract.ts';

describeContract('UsageRepository', usageRepositoryContract, {
  memory: () => new MemoryUsageRepository(),
  dynamo: (table) => () => new DynamoUsageRepository(table),
});
