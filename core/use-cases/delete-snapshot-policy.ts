import type { Ports } from '../ports/ports.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';

/**
 * `DELETE /v1/snapshot-policies/{id}`: the policy stops; the snapshots it took stay, with their
 * `policyId` and labels, and nothing prunes them any more.
 */
export async function deleteSnapshotPolicy(
  deps: Pick<Ports, 'policies'>,
  input: { accountId: string; policyId: string },
): Promise<void> {
  const policy = await getSnapshotPolicy(deps, input);
  await deps.policies.delete(policy.accountId, policy.id);
}
