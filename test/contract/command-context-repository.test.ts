import { DynamoCommandContexts } from '../../adapters/aws/dynamo-command-contexts.ts';
import { MemoryCommandContexts } from '../../adapters/memory/memory-command-contexts.ts';
import { commandContextRepositoryContract } from './command-context-repository.contract.ts';
import { describeContract } from './describe-contract.ts';

describeContract('CommandContextRepository', commandContextRepositoryContract, {
  memory: (clock) => new MemoryCommandContexts({ clock }),
  dynamo: (table) => (clock) => new DynamoCommandContexts({ ...table, now: () => clock.now() }),
});
