import { applyRetention } from '../policies/retention.ts';
import type { SnapshotPolicy } from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';
import { SnapshotInUseError, SnapshotProtectedError } from '../snapshots/snapshot-errors.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';
import { availablePolicySnapshots } from './policy-targets.ts';
import { requestSnapshotDeletion } from './request-snapshot-deletion.ts';

/**
 * Prunes the policy's snapshots of one slice by its rules, into the recycle bin (purged later as
 * any deleted snapshot is, recoverable until then). Only available snapshots the policy took are
 * considered; a protected one is never pruned. One protected meanwhile or read by a restore now is left for a later run. A slice
 * that is gone is pruned only when the policy
 * says `onSliceDeleted: apply`. Answers the ids pruned, newest first.
 */
export async function prunePolicySnapshots(
  deps: Pick<
    Ports,
    'slices' | 'snapshots' | 'operations' | 'usage' | 'workflows' | 'settings' | 'clock' | 'ids'
  >,
  input: { policy: SnapshotPolicy; sliceId: string },
): Promise<string[]> {
  const { policy, sliceId } = input;
  if (policy.onSliceDeleted === 'keep') {
    const slice = await deps.slices.get(policy.accountId, sliceId);
    if (!slice || slice.status === 'deleted') return [];
  }
  const snapshots = await availablePolicySnapshots(deps, policy.accountId, sliceId, policy.id);
  const verdicts = applyRetention(policy.retain, snapshots);
  const pruned: string[] = [];
  for (const verdict of verdicts) {
    if (verdict.decision !== 'prune') continue;
    try {
      await requestSnapshotDeletion(deps, { accountId: policy.accountId, snapshotId: verdict.id });
      pruned.push(verdict.id);
    } catch (error) {
      // Protected since it was read, or read by a restore now: left for a later run to decide.
      if (error instanceof SnapshotProtectedError || error instanceof SnapshotInUseError) continue;
      throw error;
    }
  }
  return pruned;
}

/** The run-policy workflow's prune of one target slice, by the policy as it stands now. */
export async function prunePolicySlice(
  deps: Pick<
    Ports,
    | 'policies'
    | 'slices'
    | 'snapshots'
    | 'operations'
    | 'usage'
    | 'workflows'
    | 'settings'
    | 'clock'
    | 'ids'
  >,
  input: { accountId: string; policyId: string; sliceId: string },
): Promise<{ pruned: string[] }> {
  const policy = await getSnapshotPolicy(deps, input);
  return { pruned: await prunePolicySnapshots(deps, { policy, sliceId: input.sliceId }) };
}
