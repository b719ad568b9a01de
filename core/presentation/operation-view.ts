import type { Operation } from '../operations/operation.ts';
import type { OperationResourceType, OperationStatus } from '../operations/operation-status.ts';
import type { OperationType } from '../operations/operation-type.ts';
import { type ProgressView, viewProgress } from '../progress/transfer-progress.ts';
import type { Failure } from '../shared/failure.ts';
import { durationSeconds } from '../shared/time.ts';

/** An operation as CONTRACT.md shows it. */
export interface OperationView {
  readonly id: string;
  readonly type: OperationType;
  readonly status: OperationStatus;
  readonly resourceType: OperationResourceType;
  readonly resourceId: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly elapsedSeconds: number;
  readonly progress: ProgressView;
  readonly error: Failure | null;
  /** A restore only: the snapshot keeping the disk it replaced, which its undo restores. */
  readonly undoSnapshotId?: string | null;
  /** A restore only: until when it can be undone. */
  readonly undoUntil?: string | null;
  /** A restore only: why it could not keep the disk it replaced. */
  readonly undoError?: Failure | null;
  /** A slice deletion only: the final snapshot it takes before the disk goes. */
  readonly finalSnapshotId?: string | null;
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
  };
}
