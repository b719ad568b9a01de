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
 * same creation, its snapshots still its own, its schedule updated, not made anew); the result is
 * checked whole. The schedule changes first: a policy whose record could not be changed gets its
 * former schedule back, and a retried request puts both right.
 */
export async function updateSnapshotPolicy(
  deps: Pick<Ports, 'policies' | 'policySchedules' | 'calendar' | 'clock'>,
  input: { accountId: string; policyId: string; changes: PolicyChanges },
): Promise<SnapshotPolicy> {
  return retryOnConflict(async () => {
    const current = await getSnapshotPolicy(deps, input);
    const next = changePolicy(current, input.changes, deps.calendar, toIsoTime(deps.clock.now()));
    await deps.policySchedules.put(next);
    try {
      await deps.policies.update(current, next);
    } catch (error) {
      await deps.policySchedules.put(current);
      throw error;
    }
    return next;
  });
}
