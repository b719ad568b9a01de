import { DynamoNonceRegistry } from '../../adapters/aws/dynamo-nonce-registry.ts';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import { MemoryNonceRegistry } from '../../adapters/memory/memory-nonce-registry.ts';
import { describeContract } from './describe-contract.ts';
import { nonceRegistryContract } from './nonce-registry.contract.ts';

describeContract('NonceRegistry', nonceRegistryContract, {
  memory: () => new MemoryNonceRegistry(new ManualClock(new Date())),
  dynamo: (table) => () => new DynamoNonceRegistry(table),
});
