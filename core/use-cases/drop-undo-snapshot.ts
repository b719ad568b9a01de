import { withdrawUndo } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { markSnapshotFailed } from '../snapshots/snapshot.ts';
import type { SnapshotStatus } from '../snapshots/snapshot-status.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import { getOperation } from './get-operation.ts';
import type { UndoStepInput } from './prepare-disk-capture.ts';

const NOT_KEPT: Failure = {
  code: 'UNDO_NOT_KEPT',
  message: 'the disk the restore replaced could not be kept',
};

const FAILABLE: readonly SnapshotStatus[] = ['pending', 'capturing', 'uploading'];

/** Why the kept snapshot failed: the restore's own failure, or the step that could not keep it. */
export interface DropUndoInput extends UndoStepInput {
  readonly error: WorkflowError | null;
}

/**
 * Fails a snapshot that was to keep a slice's disk on the way of another operation (a restore's
 * undo, a deletion's final snapshot), with the reason `error` gives (else `fallback`), and ends its
 * upload; a snapshot that was kept or has ended already is left alone. Answers the reason, and
 * whether the snapshot is failed, so that its upload must be cleaned up.
 */
export async function failKeptSnapshot(
  deps: Pick<Ports, 'snapshots' | 'uploads' | 'clock'>,
  input: { accountId: string; snapshotId: string; error: WorkflowError | null },
  fallback: Failure,
): Promise<{ readonly reason: Failure; readonly failed: boolean }> {
  const reason = input.error ? failureOf(input.error, fallback) : fallback;
  const failed = await retryOnConflict(async () => {
    const current = await deps.snapshots.get(input.accountId, input.snapshotId);
    if (!current) return false;
    if (!FAILABLE.includes(current.status)) return current.status === 'failed';
    await deps.snapshots.update(
      current,
      markSnapshotFailed(current, reason, toIsoTime(deps.clock.now())),
    );
    return true;
  });
  if (failed) await deps.uploads.endUpload(input.accountId, input.snapshotId);
  return { reason, failed };
}

/**
 * restore-slice's `DropUndoSnapshot`, when keeping the replaced disk failed after the image was
 * written: the restore goes on, without an undo. The kept snapshot fails with the reason, its
 * upload ends, and the restore's operation says why it has no undo (`undoError`); a snapshot that
 * reached the recycle bin after all is kept. Answers whether its upload must be cleaned up.
 */
export async function dropUndoSnapshot(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'uploads' | 'clock'>,
  input: DropUndoInput,
): Promise<{ readonly cleanUp: boolean }> {
  const kept = { ...input, snapshotId: input.undoSnapshotId };
  const { reason, failed } = await failKeptSnapshot(deps, kept, NOT_KEPT);
  if (!failed) return { cleanUp: false };
  await retryOnConflict(async () => {
    const operation = await getOperation(deps, input);
    if (operation.status !== 'running' || operation.undoSnapshotId !== input.undoSnapshotId) return;
    await deps.operations.update(
      operation,
      withdrawUndo(operation, reason, toIsoTime(deps.clock.now())),
    );
  });
  return { cleanUp: true };
}
