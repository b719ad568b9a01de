import type { Operation } from '../operations/operation.ts';
import { type ProgressView, viewProgress } from '../progress/transfer-progress.ts';
import { durationSeconds } from '../shared/time.ts';

/** An operation as CONTRACT.md shows it. */
export interface OperationView extends Omit<Operation, 'accountId' | 'progress' | 'updatedAt'> {
  readonly elapsedSeconds: number;
  readonly progress: ProgressView;
}

/** The public view of an operation at `now`: elapsed time stops when it finishes. */
export function viewOperation(operation: Operation, now: Date): OperationView {
  const phase =
    operation.status === 'running'
      ? 'running'
      : operation.status === 'succeeded'
        ? 'done'
        : 'stopped';
  return {
    id: operation.id,
    type: operation.type,
    status: operation.status,
    resourceType: operation.resourceType,
    resourceId: operation.resourceId,
    startedAt: operation.startedAt,
    finishedAt: operation.finishedAt,
    elapsedSeconds: durationSeconds(operation.startedAt, operation.finishedAt ?? now),
    progress: viewProgress(operation.progress, {
      startedAt: operation.startedAt,
      endedAt: operation.finishedAt,
      phase,
      now,
    }),
    error: operation.error,
    ...(operation.type === 'slice.restore'
      ? {
          undoSnapshotId: operation.undoSnapshotId ?? null,
          undoUntil: operation.undoUntil ?? null,
          undoError: operation.undoError ?? null,
        }
      : {}),
    ...(operation.type === 'slice.delete'
      ? { finalSnapshotId: operation.finalSnapshotId ?? null }
      : {}),
    ...(operation.type === 'snapshot.copy'
      ? { bytesToTransfer: operation.bytesToTransfer ?? null }
      : {}),
  };
}
