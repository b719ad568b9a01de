import { DynamoCommandContextRepository } from '../../adapters/aws/dynamo-command-context-repository.ts';
import { MemoryCommandContextRepository } from '../../adapters/memory/memory-command-context-repository.ts';
import { commandContextRepositoryContract } from './command-context-repository.contract.ts';
import { describeContract } from './describe-contract.ts';

describeContract('CommandContextRepository', commandContextRepositoryContract, {
  memory: (clock) => new MemoryCommandContextRepository({ clock }),
  dynamo: (table) => (clock) =>
    new DynamoCommandContextRepository({ ...table, now: () => clock.now() }),
});
