import { type Page, parsePageRequest } from '../pagination/page.ts';
import type { SnapshotPolicy } from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';

/** `GET /v1/snapshot-policies`: the caller's policies, newest first, a page at a time. */
export async function listSnapshotPolicies(
  deps: Pick<Ports, 'policies'>,
  input: { accountId: string; limit?: number; cursor?: string | null },
): Promise<Page<SnapshotPolicy>> {
  return deps.policies.list(input.accountId, parsePageRequest(input));
}
