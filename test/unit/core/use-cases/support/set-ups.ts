import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import type { RetentionRules } from '../../../../../core/policies/retention-rules.ts';
import type { SnapshotPolicy } from '../../../../../core/policies/snapshot-policy.ts';
import type { Slice } from '../../../../../core/slices/slice.ts';
import { anActiveSlice, aPolicyOf } from './use-case-steps.ts';

/** What `givenPorts` runs on fresh ports before each test: the records a test starts from. */
export type SetUp<T extends object> = (ports: MemoryPorts) => Promise<T>;

/** An active, powered-on slice on HOST, free for any operation. */
export async function withARunningSlice(ports: MemoryPorts): Promise<{ slice: Slice }> {
  return { slice: await anActiveSlice(ports, { power: 'on' }) };
}

/**
 * A set-up that runs `prepare` and then moves the clock to `at`, so that what a test does next
 * happens later than what it was given.
 */
export function thenClockAt<T extends object>(at: string, prepare: SetUp<T>): SetUp<T> {
  return async (ports) => {
    const prepared = await prepare(ports);
    ports.clock.set(at);
    return prepared;
  };
}

/**
 * A set-up of an active slice and the policy `nightly` that snapshots it once a day at `at` (UTC)
 * and keeps what `retain` says.
 */
export function withANightlyPolicy(
  at: string,
  retain: RetentionRules,
): SetUp<{ slice: Slice; policy: SnapshotPolicy }> {
  return async (ports) => {
    const slice = await anActiveSlice(ports);
    const policy = await aPolicyOf(ports, [slice.id], {
      name: 'nightly',
      schedule: { every: '1d', at },
      retain,
    });
    return { slice, policy };
  };
}
