import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { unlockSlice } from '../slices/slice.ts';
import { sliceRestoredEvent } from '../slices/slice-events.ts';
import type { SliceStepInput } from './confirm-slice-lock.ts';
import { finishOperation } from './finish-operation.ts';
import { changeSlice } from './get-slice.ts';
import { releaseSnapshotReader } from './snapshot-readers.ts';

/** A restore's slice, snapshot and operation. */
export interface RestoreStepInput extends SliceStepInput {
  readonly snapshotId: string;
}

type Deps = Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'clock'>;

/**
 * What follows the commit of a restore: the snapshot is no longer read, the operation succeeds and
 * `Slice Restored` is emitted. Each part is done once, however often this runs.
 */
export async function completeCommittedRestore(deps: Deps, input: RestoreStepInput): Promise<void> {
  await releaseSnapshotReader(deps, input);
  await finishOperation(deps, input, { error: null }, sliceRestoredEvent(input));
}

/**
 * restore-slice's `CompleteRestore`, once the image is on the disk and the power state is back. The
 * commit is one conditional write of the slice, which takes the image's used bytes and gives its
 * lock back; from then on the restore stands, and `completeCommittedRestore` follows. Before the
 * commit the lock is still held, so the workflow rolls back any failure.
 */
export async function completeRestore(
  deps: Deps,
  input: RestoreStepInput & { readonly usedBytes: number },
): Promise<void> {
  await changeSlice(deps, input, async (slice) => {
    if (slice.lock?.operationId !== input.operationId) return;
    const now = toIsoTime(deps.clock.now());
    await deps.slices.update(
      slice,
      unlockSlice({ ...slice, usedBytes: input.usedBytes }, input.operationId, now),
    );
  });
  await completeCommittedRestore(deps, input);
}
