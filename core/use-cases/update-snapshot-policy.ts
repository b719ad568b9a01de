import {
  changePolicy,
  type PolicyChanges,
  type SnapshotPolicy,
} from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';

/**
 * `PATCH /v1/snapshot-policies/{id}`: the fields given replace the policy's, in place (same id,
 * same creation, its snapshots still its own); the result is checked whole.
 */
export async function updateSnapshotPolicy(
  deps: Pick<Ports, 'policies' | 'calendar' | 'clock'>,
  input: { accountId: string; policyId: string; changes: PolicyChanges },
): Promise<SnapshotPolicy> {
  return retryOnConflict(async () => {
    const current = await getSnapshotPolicy(deps, input);
    const next = changePolicy(current, input.changes, deps.calendar, toIsoTime(deps.clock.now()));
    await deps.policies.update(current, next);
    return next;
  });
}
