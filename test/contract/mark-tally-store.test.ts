import { S3MarkTallyStore } from '../../adapters/aws/s3-mark-tally-store.ts';
import { MemoryMarkTallyStore } from '../../adapters/memory/memory-mark-tally-store.ts';
import { SystemClock } from '../../adapters/node/system-clock.ts';
import { describeContract } from './describe-contract.ts';
import { markTallyStoreContract } from './mark-tally-store.contract.ts';

describeContract('MarkTallyStore', markTallyStoreContract, {
  memory: () => ({ tallies: new MemoryMarkTallyStore({ clock: new SystemClock() }) }),
  s3:
    ({ client, bucket }) =>
    () => ({ tallies: new S3MarkTallyStore({ client, bucket }) }),
});
