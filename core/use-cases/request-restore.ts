import { EVENT } from '../events/event-types.ts';
import type { Labels } from '../labels/labels.ts';
import type { Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import type { Slice } from '../slices/slice.ts';
import { SliceNotFoundError, SourceSliceGoneError } from '../slices/slice-errors.ts';
import { markSnapshotFailed, newSafetySnapshot, type Snapshot } from '../snapshots/snapshot.ts';
import {
  DiskTooSmallError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotRegionMismatchError,
} from '../snapshots/snapshot-errors.ts';
import { preRestoreSnapshotName } from '../snapshots/snapshot-name.ts';
import { getSnapshot } from './get-snapshot.ts';
import { registerSnapshotReader, releaseSnapshotReader } from './snapshot-readers.ts';
import { startSliceOperation } from './start-slice-operation.ts';

/** What `POST /v1/snapshots/{id}/restore` asks for (its `confirm: true` is checked at the edge). */
export interface RequestRestoreInput {
  readonly accountId: string;
  readonly snapshotId: string;
  /** The slice whose disk is replaced; by default the snapshot's own slice. */
  readonly sliceId?: string | null;
  /**
   * Keep the disk the restore replaces as a snapshot in the recycle bin, so that the restore can
   * be undone; default true.
   */
  readonly keepCurrent?: boolean | null;
}

/** The label of every snapshot a restore keeps of the disk it replaces. */
export const PRE_RESTORE_LABELS: Labels = Object.freeze({ 'slice-snapshots/auto': 'pre-restore' });

const NOT_STARTED: Failure = {
  code: 'WORKFLOW_START_FAILED',
  message: 'the restore that was to keep this disk could not be started',
};

type Deps = Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'workflows' | 'clock' | 'ids'>;

async function availableSnapshot(deps: Deps, input: RequestRestoreInput): Promise<Snapshot> {
  const snapshot = await getSnapshot(deps, input);
  if (snapshot.status === 'deleted') throw new SnapshotNotFoundError(snapshot.id);
  if (snapshot.status !== 'available') {
    throw new SnapshotNotAvailableError(snapshot.id, snapshot.status);
  }
  return snapshot;
}

async function targetSlice(deps: Deps, snapshot: Snapshot, sliceId: string | null): Promise<Slice> {
  const slice = await deps.slices.get(snapshot.accountId, sliceId ?? snapshot.sliceId);
  if (!slice || slice.status === 'deleted') {
    if (sliceId === null) throw new SourceSliceGoneError(snapshot.id, snapshot.sliceId);
    throw new SliceNotFoundError(sliceId);
  }
  if (slice.region !== snapshot.region) {
    throw new SnapshotRegionMismatchError(snapshot.id, snapshot.region, slice.region);
  }
  if (slice.diskBytes < snapshot.diskBytes) {
    throw new DiskTooSmallError(snapshot.id, snapshot.diskBytes, slice.diskBytes);
  }
  return slice;
}

/** A restore under way: its operation, the slice it replaces the disk of, and its snapshot. */
export interface StartedRestore {
  readonly operation: Operation;
  readonly slice: Slice;
  readonly snapshot: Snapshot;
}

/**
 * Requests a restore of a slice from an available snapshot of the same account and region, onto a
 * disk at least the snapshot's `diskBytes` (DiskTooSmallError otherwise). The target defaults to
 * the snapshot's own slice; when that is deleted, SourceSliceGoneError says to make a new slice
 * from the snapshot instead. The restore keeps the disk it replaces unless `keepCurrent` is false
 * (see {@link startRestore}).
 */
export async function requestRestore(
  deps: Deps,
  input: RequestRestoreInput,
): Promise<StartedRestore> {
  const snapshot = await availableSnapshot(deps, input);
  const target = await targetSlice(deps, snapshot, input.sliceId ?? null);
  return startRestore(deps, { snapshot, target, keepCurrent: input.keepCurrent ?? true });
}

/** The snapshot that will keep the disk a restore replaces, `pending` until the workflow takes it. */
function preRestoreSnapshot(deps: Deps, slice: Slice, id: string): Snapshot {
  const now = deps.clock.now();
  const name = preRestoreSnapshotName(slice.name, now);
  return newSafetySnapshot(slice, { id, name, labels: PRE_RESTORE_LABELS, now: toIsoTime(now) });
}

/**
 * Starts a restore of `target` from `snapshot`, both checked already. The slice's lock is taken
 * first, then the snapshot's reader (so it is not deleted while it is read; `fromRecycleBin` lets
 * an undo read its snapshot from the bin). With `keepCurrent`, a `pending` snapshot named
 * `<slice>-before-restore-<unix seconds>` and labelled `slice-snapshots/auto=pre-restore` is
 * stored for the disk the restore replaces, and the operation names it in `undoSnapshotId`. Then a
 * running `slice.restore` operation is stored with `Slice Restore Started`, and the restore-slice
 * workflow starts. If it cannot start, the reader is released and the kept snapshot failed.
 */
export async function startRestore(
  deps: Deps,
  input: {
    readonly snapshot: Snapshot;
    readonly target: Slice;
    readonly keepCurrent: boolean;
    readonly fromRecycleBin?: boolean;
  },
): Promise<StartedRestore> {
  const { snapshot, target } = input;
  const ids = { accountId: snapshot.accountId, snapshotId: snapshot.id, sliceId: target.id };
  const undoSnapshotId = input.keepCurrent ? deps.ids.next('snapshot') : null;
  const { slice, operation } = await startSliceOperation(deps, {
    accountId: snapshot.accountId,
    sliceId: target.id,
    type: 'slice.restore',
    workflow: 'restore-slice',
    workflowInput: { snapshotId: snapshot.id, undoSnapshotId },
    undoSnapshotId,
    bytesTotal: snapshot.sizeBytes,
    claim: async (operationId, locked) => {
      const reader = { operationId, operationType: 'slice.restore' as const, sliceId: target.id };
      await registerSnapshotReader(deps, ids, reader, { fromRecycleBin: input.fromRecycleBin });
      const kept = undoSnapshotId ? preRestoreSnapshot(deps, locked, undoSnapshotId) : null;
      if (kept) await deps.snapshots.create(kept);
      return async () => {
        await releaseSnapshotReader(deps, { ...ids, operationId });
        // Never left pending for good: nothing will ever take it.
        if (kept) {
          const failedAt = toIsoTime(deps.clock.now());
          await deps.snapshots.update(kept, markSnapshotFailed(kept, NOT_STARTED, failedAt));
        }
      };
    },
    started: (locked, started) => ({
      detailType: EVENT.sliceRestoreStarted,
      detail: {
        ...ids,
        operationId: started.id,
        sliceName: locked.name,
        snapshotName: snapshot.name,
        undoSnapshotId,
      },
    }),
    notStarted: (_locked, failed, error) => ({
      detailType: EVENT.sliceRestoreFailed,
      detail: { ...ids, operationId: failed.id, error },
    }),
  });
  return { operation, slice, snapshot };
}
