import { parseLabelSelector } from '../labels/label-selector.ts';
import { everyItem } from '../pagination/page.ts';
import type { PolicyTarget } from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';
import type { Slice } from '../slices/slice.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';

/** A slice a policy targets: the slice, or null when it is deleted or not in the account. */
export interface PolicyTargetSlice {
  readonly sliceId: string;
  readonly slice: Slice | null;
}

/**
 * The slices `target` names in the caller's account, as they are now: named slices each (null
 * when deleted, or missing from the account, which is how another account's looks), or the live
 * slices the selector selects now, so that a slice labelled later is picked up.
 */
export async function policyTargetSlices(
  deps: Pick<Ports, 'slices'>,
  accountId: string,
  target: PolicyTarget,
): Promise<PolicyTargetSlice[]> {
  if ('sliceIds' in target) {
    return Promise.all(
      target.sliceIds.map(async (sliceId) => {
        const slice = await deps.slices.get(accountId, sliceId);
        return { sliceId, slice: slice && slice.status !== 'deleted' ? slice : null };
      }),
    );
  }
  const labelSelector = parseLabelSelector(target.sliceSelector);
  const slices = await everyItem((page) => deps.slices.list(accountId, { labelSelector }, page));
  return slices.map((slice) => ({ sliceId: slice.id, slice }));
}

/**
 * The snapshots `policyId` took of a slice that are `available` now: what its rules prune from.
 * Snapshots being taken, in the recycle bin or of another policy are never among them.
 */
export async function availablePolicySnapshots(
  deps: Pick<Ports, 'snapshots'>,
  accountId: string,
  sliceId: string,
  policyId: string,
): Promise<Snapshot[]> {
  const snapshots = await everyItem((page) => deps.snapshots.list(accountId, { sliceId }, page));
  return snapshots.filter(
    (snapshot) => snapshot.policyId === policyId && snapshot.status === 'available',
  );
}
