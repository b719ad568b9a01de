import type { PolicySkipReason } from '../policies/policy-run.ts';
import { POLICY_LABEL_KEY, type SnapshotPolicy } from '../policies/snapshot-policy.ts';
import type { Ports } from '../ports/ports.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceNotFoundError,
} from '../slices/slice-errors.ts';
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
      labels: { ...policy.labels, [POLICY_LABEL_KEY]: policy.id },
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
