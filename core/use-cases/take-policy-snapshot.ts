import { MAX_PAGE_LIMIT } from '../pagination/page.ts';
import { type PolicySkipReason, PolicySliceBusyError } from '../policies/policy-run.ts';
import { policyLabelOf, type SnapshotPolicy } from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceNotFoundError,
} from '../slices/slice-errors.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';
import { requestSnapshot } from './request-snapshot.ts';

/** What a policy's run did with one slice: the snapshot it asked for, or why it skipped it. */
export type PolicyTake =
  | { readonly sliceId: string; readonly snapshotId: string; readonly operationId: string }
  | { readonly sliceId: string; readonly skipped: PolicySkipReason };

/**
 * One run's snapshot of one slice, through the same path as a user's request (the slice's lock,
 * the create-snapshot workflow), carrying the policy's id and labels and
 * `slice-snapshots/policy=<id>`. A slice busy with another operation, not active, or gone (deleted,
 * or not in the policy's account) is skipped with the reason; the run may try a busy one again.
 */
export async function takePolicySnapshot(
  deps: Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'workflows' | 'clock' | 'ids'>,
  input: { policy: SnapshotPolicy; sliceId: string },
): Promise<PolicyTake> {
  const { policy, sliceId } = input;
  try {
    const { snapshot, operation } = await requestSnapshot(deps, {
      accountId: policy.accountId,
      sliceId,
      powerOff: policy.powerOff,
      labels: { ...policy.labels, ...policyLabelOf(policy.id) },
      policyId: policy.id,
    });
    return { sliceId, snapshotId: snapshot.id, operationId: operation.id };
  } catch (error) {
    if (error instanceof SliceBusyError) return { sliceId, skipped: 'slice-busy' };
    if (error instanceof SliceNotFoundError) return { sliceId, skipped: 'slice-gone' };
    if (error instanceof IllegalSliceTransitionError)
      return { sliceId, skipped: 'slice-not-active' };
    throw error;
  }
}

/**
 * The snapshot of `sliceId` that this run of the policy asked for already, if any: one taken
 * since the run began, of this policy, not failed. A step run again after its answer was lost, or
 * after the workflow resumed, answers it instead of asking again (which the run's own snapshot
 * would refuse as busy, or take twice).
 */
async function alreadyTaken(
  deps: Pick<Ports, 'snapshots' | 'policyRuns'>,
  input: { accountId: string; policyId: string; runId: string; sliceId: string },
): Promise<Snapshot | null> {
  const run = await deps.policyRuns.get(input.accountId, input.policyId, input.runId);
  if (!run) return null;
  // The slice's snapshots come newest first: reading stops at the first one older than the run.
  let cursor: string | null = null;
  do {
    const page = await deps.snapshots.list(
      input.accountId,
      { sliceId: input.sliceId },
      { limit: MAX_PAGE_LIMIT, cursor },
    );
    for (const snapshot of page.items) {
      if (snapshot.createdAt < run.startedAt) return null;
      const ours = snapshot.policyId === input.policyId && snapshot.status !== 'failed';
      if (ours) return snapshot;
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return null;
}

/**
 * The run-policy workflow's step for one target slice: the policy is read again (one deleted
 * meanwhile is PolicyNotFoundError), the snapshot the run asked for already is answered again, and
 * a busy slice is PolicySliceBusyError, for the workflow to try again within the run's window
 * before it records the slice as skipped.
 */
export async function takeRunSnapshot(
  deps: Pick<
    Ports,
    | 'policies'
    | 'policyRuns'
    | 'slices'
    | 'snapshots'
    | 'operations'
    | 'workflows'
    | 'clock'
    | 'ids'
  >,
  input: { accountId: string; policyId: string; runId: string; sliceId: string },
): Promise<{ snapshotId: string | null; skipped: PolicySkipReason | null }> {
  const policy = await getSnapshotPolicy(deps, input);
  const taken = await alreadyTaken(deps, input);
  if (taken) return { snapshotId: taken.id, skipped: null };
  const take = await takePolicySnapshot(deps, { policy, sliceId: input.sliceId });
  if ('snapshotId' in take) return { snapshotId: take.snapshotId, skipped: null };
  if (take.skipped === 'slice-busy') throw new PolicySliceBusyError(input.sliceId);
  return { snapshotId: null, skipped: take.skipped };
}
