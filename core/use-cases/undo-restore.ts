import type { Operation } from '../operations/operation.ts';
import {
  OperationNotUndoableError,
  UndoExpiredError,
  UndoNotAvailableError,
} from '../operations/operation-errors.ts';
import type { Ports } from '../ports/ports.ts';
import { SliceNotFoundError } from '../slices/slice-errors.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { getOperation } from './get-operation.ts';
import { type StartedRestore, startRestore } from './request-restore.ts';

/** What `POST /v1/operations/{id}/undo` asks for (its `confirm: true` is checked at the edge). */
export interface UndoRestoreInput {
  readonly accountId: string;
  readonly operationId: string;
  /** Keep the disk the undo replaces too, so that the undo can be undone; default true. */
  readonly keepCurrent?: boolean | null;
}

type Deps = Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'workflows' | 'clock' | 'ids'>;

/** The snapshot that kept the disk `restore` replaced, while it can still be restored. */
async function keptSnapshot(deps: Deps, restore: Operation): Promise<Snapshot> {
  if (restore.type !== 'slice.restore' || restore.status !== 'succeeded') {
    throw new OperationNotUndoableError(restore.id, restore.type, restore.status);
  }
  const snapshotId = restore.undoSnapshotId ?? null;
  if (snapshotId === null || !restore.undoUntil) {
    throw new UndoNotAvailableError(restore.id, restore.undoError?.message ?? null);
  }
  const snapshot = await deps.snapshots.get(restore.accountId, snapshotId);
  if (!snapshot || (snapshot.status !== 'recycled' && snapshot.status !== 'available')) {
    throw new UndoExpiredError(restore.id, snapshotId);
  }
  return snapshot;
}

/**
 * Undoes a succeeded restore: restores the slice from the snapshot that kept the disk the restore
 * replaced, whether it is still in the recycle bin (read from there) or was recovered. It is a
 * restore like any other (the slice's lock, the snapshot's reader, the restore-slice workflow), and
 * by default keeps the disk it replaces in turn, so an undo can itself be undone. Refused with
 * OperationNotFoundError for an operation of another account, OperationNotUndoableError for
 * anything but a succeeded restore, UndoNotAvailableError when the restore kept no disk, and
 * UndoExpiredError once the kept snapshot has been purged.
 */
export async function undoRestore(deps: Deps, input: UndoRestoreInput): Promise<StartedRestore> {
  const restore = await getOperation(deps, input);
  const snapshot = await keptSnapshot(deps, restore);
  const target = await deps.slices.get(input.accountId, restore.resourceId);
  if (!target || target.status === 'deleted') throw new SliceNotFoundError(restore.resourceId);
  return startRestore(deps, {
    snapshot,
    target,
    keepCurrent: input.keepCurrent ?? true,
    fromRecycleBin: true,
  });
}
