import { withdrawUndo } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import type { WorkflowError } from '../workflows/workflow-failure.ts';
import { failKeptSnapshot } from './fail-kept-snapshot.ts';
import { changeOperation } from './get-operation.ts';
import type { UndoStepInput } from './prepare-disk-capture.ts';

const NOT_KEPT: Failure = {
  code: 'UNDO_NOT_KEPT',
  message: 'the disk the restore replaced could not be kept',
};

/** Why the kept snapshot failed: the restore's own failure, or the step that could not keep it. */
export interface DropUndoInput extends UndoStepInput {
  readonly error: WorkflowError | null;
}

/**
 * restore-slice's `DropUndoSnapshot`, when keeping the replaced disk failed after the image was
 * written: the restore goes on, without an undo. The kept snapshot fails with the reason, and
 * the restore's operation says why it has no undo (`undoError`); a snapshot that reached the
 * recycle bin after all is kept. Answers whether its upload must be cleaned up.
 */
export async function dropUndoSnapshot(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'clock'>,
  input: DropUndoInput,
): Promise<{ readonly cleanUp: boolean }> {
  const kept = { ...input, snapshotId: input.undoSnapshotId };
  const { reason, failed } = await failKeptSnapshot(deps, kept, NOT_KEPT);
  if (!failed) return { cleanUp: false };
  await changeOperation(deps, input, async (operation) => {
    if (operation.status !== 'running' || operation.undoSnapshotId !== input.undoSnapshotId) return;
    await deps.operations.update(
      operation,
      withdrawUndo(operation, reason, toIsoTime(deps.clock.now())),
    );
  });
  return { cleanUp: true };
}
