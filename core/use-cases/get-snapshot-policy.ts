import { PolicyNotFoundError } from '../policies/policy-errors.ts';
import type { SnapshotPolicy } from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';
import { isResourceId } from '../shared/ids.ts';

/**
 * One policy of the caller's account; PolicyNotFoundError when it is missing, of another account,
 * or the id is not a policy id.
 */
export async function getSnapshotPolicy(
  deps: Pick<Ports, 'policies'>,
  input: { accountId: string; policyId: string },
): Promise<SnapshotPolicy> {
  const policy = isResourceId('policy', input.policyId)
    ? await deps.policies.get(input.accountId, input.policyId)
    : null;
  if (!policy) throw new PolicyNotFoundError(input.policyId);
  return policy;
}
