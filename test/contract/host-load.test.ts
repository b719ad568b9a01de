import { DynamoHostLoad } from '../../adapters/aws/dynamo-host-load.ts';
import { MemoryHostLoad } from '../../adapters/memory/memory-host-load.ts';
import { describeContract } from './describe-contract.ts';
import { hostLoadContract } from './host-load.contract.ts';

describeContract('HostLoad', hostLoadContract, {
  memory: () => new MemoryHostLoad(),
  dynamo: (table) => () => new DynamoHostLoad(table),
});
