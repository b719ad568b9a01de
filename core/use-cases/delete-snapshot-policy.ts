import type { Ports } from '../ports/ports.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';

/**
 * `DELETE /v1/snapshot-policies/{id}`: the policy stops (its schedule is deleted first, so no run
 * starts after the answer); the snapshots it took stay, with their `policyId` and labels, and
 * nothing prunes them any more.
 */
export async function deleteSnapshotPolicy(
  deps: Pick<Ports, 'policies' | 'policySchedules'>,
  input: { accountId: string; policyId: string },
): Promise<void> {
  const policy = await getSnapshotPolicy(deps, input);
  await deps.policySchedules.remove(policy.id);
  await deps.policies.delete(policy.accountId, policy.id);
}
