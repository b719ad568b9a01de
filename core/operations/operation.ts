import {
  progressNotStarted,
  recordProgress,
  startTransfer,
  type TransferProgress,
} from '../progress/transfer-progress.ts';
import type { Failure } from '../shared/failure.ts';
import { IllegalOperationTransitionError } from './operation-errors.ts';
import type { OperationResourceType, OperationStatus } from './operation-status.ts';
import type { OperationType } from './operation-type.ts';

/** One piece of long work on a resource, as stored. `accountId` is never shown to users. */
export interface Operation {
  readonly id: string;
  readonly accountId: string;
  readonly type: OperationType;
  readonly status: OperationStatus;
  readonly resourceType: OperationResourceType;
  readonly resourceId: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly progress: TransferProgress;
  readonly error: Failure | null;
  /**
   * A restore's undo: the snapshot that keeps the disk it replaced (set when the restore starts,
   * null when the restore keeps none or could not keep it). Absent on other operations.
   */
  readonly undoSnapshotId?: string | null;
  /** Until when the undo is possible: the kept snapshot's `purgeAt`, once it is kept. */
  readonly undoUntil?: string | null;
  /** Why a restore that meant to keep the replaced disk has no undo. */
  readonly undoError?: Failure | null;
  /**
   * A slice deletion's final snapshot, taken before the disk goes (`?finalSnapshot=true`); null
   * without one. Absent on other operations.
   */
  readonly finalSnapshotId?: string | null;
  /**
   * A copy's transfer, known before its first byte moves: the stored bytes of the chunks the
   * target region lacks. Null until the copy has looked; absent on other operations.
   */
  readonly bytesToTransfer?: number | null;
  readonly updatedAt: string;
}

function resourceTypeOf(type: OperationType): OperationResourceType {
  return type.startsWith('snapshot.') ? 'snapshot' : 'slice';
}

/** A new, `running` operation on `resourceId`; `bytesTotal` is the transfer it expects, if any. */
export function newOperation(input: {
  id: string;
  accountId: string;
  type: OperationType;
  resourceId: string;
  bytesTotal?: number;
  /** A restore that keeps the disk it replaces: the snapshot that will hold it. */
  undoSnapshotId?: string | null;
  /** A slice deletion that takes a final snapshot first: that snapshot. */
  finalSnapshotId?: string | null;
  now: string;
}): Operation {
  return {
    id: input.id,
    accountId: input.accountId,
    type: input.type,
    status: 'running',
    resourceType: resourceTypeOf(input.type),
    resourceId: input.resourceId,
    startedAt: input.now,
    finishedAt: null,
    progress: progressNotStarted(input.bytesTotal ?? 0),
    error: null,
    ...(input.type === 'slice.restore'
      ? { undoSnapshotId: input.undoSnapshotId ?? null, undoUntil: null, undoError: null }
      : {}),
    ...(input.type === 'slice.delete' ? { finalSnapshotId: input.finalSnapshotId ?? null } : {}),
    ...(input.type === 'snapshot.copy' ? { bytesToTransfer: null } : {}),
    updatedAt: input.now,
  };
}

function assertRunning(operation: Operation, to: OperationStatus): void {
  if (operation.status !== 'running') {
    throw new IllegalOperationTransitionError(operation.id, operation.status, to);
  }
}

/**
 * A copy knows what it will transfer: the progress counts toward it from now on; only while
 * running.
 */
export function planOperationTransfer(
  operation: Operation,
  bytesToTransfer: number,
  now: string,
): Operation {
  assertRunning(operation, 'running');
  return {
    ...operation,
    bytesToTransfer,
    progress: startTransfer({ ...operation.progress, bytesTotal: bytesToTransfer }, now),
    updatedAt: now,
  };
}

/** Marks the moment the operation's bytes start to move; only while running. */
export function startOperationTransfer(operation: Operation, now: string): Operation {
  assertRunning(operation, 'running');
  return { ...operation, progress: startTransfer(operation.progress, now), updatedAt: now };
}

/** Records progress (a heartbeat), with the measured total if known; only while running. */
export function recordOperationProgress(
  operation: Operation,
  bytesDone: number,
  now: string,
  bytesTotal?: number,
): Operation {
  assertRunning(operation, 'running');
  return {
    ...operation,
    progress: recordProgress(operation.progress, bytesDone, now, bytesTotal),
    updatedAt: now,
  };
}

/** running → succeeded. */
export function succeedOperation(operation: Operation, now: string): Operation {
  assertRunning(operation, 'succeeded');
  return {
    ...operation,
    status: 'succeeded',
    finishedAt: now,
    progress: { ...operation.progress, bytesDone: operation.progress.bytesTotal },
    updatedAt: now,
  };
}

/** running → failed, with the reason users see. */
export function failOperation(operation: Operation, error: Failure, now: string): Operation {
  assertRunning(operation, 'failed');
  return { ...operation, status: 'failed', finishedAt: now, error, updatedAt: now };
}

/**
 * A running restore's replaced disk is kept, in `undoSnapshotId`, until `until`: from the moment
 * the restore succeeds it can be undone until then.
 */
export function offerUndo(operation: Operation, until: string, now: string): Operation {
  assertRunning(operation, 'running');
  return { ...operation, undoUntil: until, undoError: null, updatedAt: now };
}

/** A running restore could not keep the disk it replaces: it goes on, without an undo. */
export function withdrawUndo(operation: Operation, reason: Failure, now: string): Operation {
  assertRunning(operation, 'running');
  return { ...operation, undoSnapshotId: null, undoUntil: null, undoError: reason, updatedAt: now };
}
