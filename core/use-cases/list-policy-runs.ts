import { type Page, parsePageRequest } from '../pagination/page.ts';
import type { PolicyRun } from '../policies/policy-run.ts';
import type { Ports } from '../ports/ports.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';

/**
 * `GET /v1/snapshot-policies/{id}/runs`: the policy's run history, newest first, a page at a
 * time; PolicyNotFoundError for a missing policy or another account's.
 */
export async function listPolicyRuns(
  deps: Pick<Ports, 'policies' | 'policyRuns'>,
  input: { accountId: string; policyId: string; limit?: number; cursor?: string | null },
): Promise<Page<PolicyRun>> {
  const page = parsePageRequest(input);
  const policy = await getSnapshotPolicy(deps, input);
  return deps.policyRuns.list(policy.accountId, policy.id, page);
}
