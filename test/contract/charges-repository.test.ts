import { DynamoChargesRepository } from '../../adapters/aws/dynamo-charges-repository.ts';
import { MemoryChargesRepository } from '../../adapters/memory/memory-charges-repository.ts';
import { chargesRepositoryContract } from './charges-repository.contract.ts';
import { describeContract } from './describe-contract.ts';

describeContract('ChargesRepository', chargesRepositoryContract, {
  memory: () => new MemoryChargesRepository(),
  dynamo: (table) => () => new DynamoChargesRepository(table),
});
