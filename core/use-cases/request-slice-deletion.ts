import { newOperation, type Operation, succeedOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import { assertSliceDeletable, markSliceDeleted, type Slice } from '../slices/slice.ts';
import { IllegalSliceTransitionError, SliceNotFoundError } from '../slices/slice-errors.ts';
import { sliceDeletedEvent } from '../slices/slice-events.ts';
import { markSnapshotFailed, newSafetySnapshot, type Snapshot } from '../snapshots/snapshot.ts';
import { finalSnapshotName } from '../snapshots/snapshot-name.ts';
import { changeSlice, getSlice } from './get-slice.ts';
import { startSliceOperation } from './start-slice-operation.ts';

type Deps = Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'workflows' | 'clock' | 'ids'>;

const NOT_STARTED: Failure = {
  code: 'WORKFLOW_START_FAILED',
  message: 'the deletion that was to take this snapshot could not be started',
};

/** A deleted slice's final snapshot, `pending` until the deletion's workflow takes it. */
function finalSnapshotOf(deps: Deps, slice: Slice, id: string): Snapshot {
  const now = deps.clock.now();
  const name = finalSnapshotName(slice.name, now);
  return newSafetySnapshot(slice, { id, name, now: toIsoTime(now) });
}

/**
 * A slice whose build failed has no disk left on any host: it is deleted at once, and its
 * operation is born succeeded.
 */
async function deleteFailedSlice(deps: Deps, accountId: string, sliceId: string) {
  const now = toIsoTime(deps.clock.now());
  const operation = newOperation({
    id: deps.ids.next('operation'),
    accountId,
    type: 'slice.delete',
    resourceId: sliceId,
    now,
  });
  const slice = await changeSlice(deps, { accountId, sliceId }, async (current) => {
    const deleted = markSliceDeleted(current, now);
    await deps.slices.update(current, deleted);
    return deleted;
  });
  const succeeded = succeedOperation(operation, now);
  await deps.operations.create(succeeded, { events: [sliceDeletedEvent(slice, operation.id)] });
  return succeeded;
}

/**
 * `DELETE /v1/slices/{id}` starts a running `slice.delete` operation and the delete-slice workflow,
 * which powers the slice off and deletes its disk on its host. It holds the slice's lock, so it is
 * refused with 409 while another operation holds it or while the slice is being built. The slice's
 * snapshots stay listed, billed and restorable into a new slice. A deleted slice is not found. A
 * slice with delete protection on is refused (SliceDeleteProtectedError), here and again in the
 * lock's conditional write, so a protection set between the two is never passed.
 *
 * With `finalSnapshot`, a `pending` snapshot named `<slice>-final-<unix seconds>` is stored once
 * the slice is locked, and the operation names it in `finalSnapshotId`: the workflow takes it,
 * powered off, before the disk goes, and does not delete the slice if it fails. A slice whose build
 * failed has no disk to take it from (IllegalSliceTransitionError).
 */
export async function requestSliceDeletion(
  deps: Deps,
  input: { accountId: string; sliceId: string; finalSnapshot?: boolean },
): Promise<Operation> {
  const slice = await getSlice(deps, input);
  if (slice.status === 'deleted') throw new SliceNotFoundError(input.sliceId);
  assertSliceDeletable(slice);
  if (slice.status === 'error') {
    if (input.finalSnapshot) throw new IllegalSliceTransitionError(slice.id, 'error', 'deleted');
    return deleteFailedSlice(deps, input.accountId, slice.id);
  }
  const finalSnapshotId = input.finalSnapshot ? deps.ids.next('snapshot') : null;
  const { operation } = await startSliceOperation(deps, {
    accountId: input.accountId,
    sliceId: slice.id,
    type: 'slice.delete',
    workflow: 'delete-slice',
    workflowInput: { finalSnapshotId },
    finalSnapshotId,
    claim: async (_operationId, locked) => {
      const final = finalSnapshotId ? finalSnapshotOf(deps, locked, finalSnapshotId) : null;
      if (final) await deps.snapshots.create(final);
      return async () => {
        // Never left pending for good: nothing will ever take it.
        if (final) {
          const failedAt = toIsoTime(deps.clock.now());
          await deps.snapshots.update(final, markSnapshotFailed(final, NOT_STARTED, failedAt));
        }
      };
    },
  });
  return operation;
}
