import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { sliceRestoreFailedEvent } from '../slices/slice-events.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import type { RestoreStepInput } from './complete-restore.ts';
import { failKeptSnapshot } from './fail-kept-snapshot.ts';
import { finishOperation } from './finish-operation.ts';
import { releaseSliceLock } from './release-slice-lock.ts';
import { releaseSnapshotReader } from './snapshot-readers.ts';

const RESTORE_FAILED: Failure = {
  code: 'RESTORE_FAILED',
  message: 'the slice could not be restored; its disk is as it was',
};

const NOT_ROLLED_BACK: Failure = {
  code: 'RESTORE_NOT_ROLLED_BACK',
  message:
    "the restore failed after the image was written and the slice's previous disk could not be put back",
};

const NOTHING_KEPT: Failure = {
  code: 'RESTORE_FAILED',
  message: 'the restore failed, so the disk it was to replace was not replaced and is not kept',
};

/** A failed restore: the error its `Catch` caught, and the rollback's own error if it failed. */
export interface FailRestoreInput extends RestoreStepInput {
  readonly error: WorkflowError;
  readonly rollBackError?: WorkflowError | null;
  /** The snapshot that was to keep the replaced disk, if the restore was to keep it. */
  readonly undoSnapshotId?: string | null;
}

/**
 * restore-slice's `FailRestore`, once the workflow put the previous disk back and restored the
 * power state. The snapshot is no longer read, the snapshot that was to keep the replaced disk
 * fails (a snapshot that reached the recycle bin stays there: it holds the disk as it is again),
 * the slice's lock is given back, the operation fails
 * with a reason users can read and `Slice Restore Failed` is emitted. Retries repeat nothing.
 * Answers the failure.
 */
export async function failRestore(
  deps: Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'clock'>,
  input: FailRestoreInput,
): Promise<Failure> {
  const failure = input.rollBackError ? NOT_ROLLED_BACK : failureOf(input.error, RESTORE_FAILED);
  await releaseSnapshotReader(deps, input);
  if (input.undoSnapshotId) {
    const kept = { ...input, snapshotId: input.undoSnapshotId, error: null };
    await failKeptSnapshot(deps, kept, NOTHING_KEPT);
  }
  await releaseSliceLock(deps, input);
  await finishOperation(deps, input, { error: failure }, sliceRestoreFailedEvent(input, failure));
  return failure;
}
