import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { SliceLockNotHeldError } from '../slices/slice-errors.ts';
import { startCapture } from '../snapshots/snapshot.ts';
import { IllegalSnapshotTransitionError } from '../snapshots/snapshot-errors.ts';
import { baseSnapshotsOf } from './confirm-slice-lock-for-snapshot.ts';
import { getSlice } from './get-slice.ts';
import { changeSnapshot, getSnapshot } from './get-snapshot.ts';

/** A restore's step on the snapshot that keeps the disk it replaces. */
export interface UndoStepInput {
  readonly accountId: string;
  readonly sliceId: string;
  readonly operationId: string;
  readonly undoSnapshotId: string;
}

/**
 * A step of an operation on a slice (a restore, a deletion) that keeps the slice's disk as a
 * snapshot on the way: the slice, the operation holding its lock and the snapshot.
 */
export interface DiskCaptureStepInput {
  readonly accountId: string;
  readonly sliceId: string;
  readonly operationId: string;
  readonly snapshotId: string;
}

/** What the capture and the upload of the kept disk need. */
export interface DiskCapturePlan {
  /** Snapshots whose chunks the upload may take as stored: it sends only the others. */
  readonly baseSnapshotIds: readonly string[];
  /** When the capture was prepared. */
  readonly preparedAt: string;
}

/**
 * restore-slice's `PrepareUndoCapture` (before the image replaces the disk) and delete-slice's
 * `PrepareFinalCapture` (before the disk is deleted), with the slice locked by the operation and
 * powered off for it. The snapshots the upload of the disk builds on are picked, and the snapshot
 * that keeps it moves to `capturing`. SliceLockNotHeldError if the operation no longer holds the
 * slice. A retried step repeats nothing that is done.
 */
export async function prepareDiskCapture(
  deps: Pick<Ports, 'slices' | 'snapshots' | 'clock'>,
  input: DiskCaptureStepInput,
): Promise<DiskCapturePlan> {
  const preparedAt = toIsoTime(deps.clock.now());
  const slice = await getSlice(deps, input);
  if (slice.lock?.operationId !== input.operationId) {
    throw new SliceLockNotHeldError(slice.id, input.operationId, slice.lock?.operationId ?? null);
  }
  const ids = { accountId: input.accountId, snapshotId: input.snapshotId };
  const snapshot = await getSnapshot(deps, ids);
  if (snapshot.status !== 'pending' && snapshot.status !== 'capturing') {
    throw new IllegalSnapshotTransitionError(snapshot.id, snapshot.status, 'capturing');
  }
  const baseSnapshotIds = await baseSnapshotsOf(deps, slice, snapshot.id);
  await changeSnapshot(deps, ids, async (current) => {
    if (current.status !== 'pending') return;
    await deps.snapshots.update(current, startCapture(current, preparedAt));
  });
  return { baseSnapshotIds, preparedAt };
}
