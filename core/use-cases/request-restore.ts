import { EVENT } from '../events/event-types.ts';
import type { Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Slice } from '../slices/slice.ts';
import { SliceNotFoundError, SourceSliceGoneError } from '../slices/slice-errors.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import {
  DiskTooSmallError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotRegionMismatchError,
} from '../snapshots/snapshot-errors.ts';
import { getSnapshot } from './get-snapshot.ts';
import { registerSnapshotReader, releaseSnapshotReader } from './snapshot-readers.ts';
import { startSliceOperation } from './start-slice-operation.ts';

/** What `POST /v1/snapshots/{id}/restore` asks for (its `confirm: true` is checked at the edge). */
export interface RequestRestoreInput {
  readonly accountId: string;
  readonly snapshotId: string;
  /** The slice whose disk is replaced; by default the snapshot's own slice. */
  readonly sliceId?: string | null;
}

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

/**
 * Requests a restore of a slice from an available snapshot of the same account and region, onto a
 * disk at least the snapshot's `diskBytes` (DiskTooSmallError otherwise). The target defaults to
 * the snapshot's own slice; when that is deleted, SourceSliceGoneError says to make a new slice
 * from the snapshot instead. The slice's lock is taken first, then the snapshot's reader (so it is
 * not deleted while it is read); then a running `slice.restore` operation is stored with `Slice
 * Restore Started`, and the restore-slice workflow starts.
 */
export async function requestRestore(
  deps: Deps,
  input: RequestRestoreInput,
): Promise<{ operation: Operation; slice: Slice; snapshot: Snapshot }> {
  const snapshot = await availableSnapshot(deps, input);
  const target = await targetSlice(deps, snapshot, input.sliceId ?? null);
  const ids = { accountId: input.accountId, snapshotId: snapshot.id, sliceId: target.id };
  const { slice, operation } = await startSliceOperation(deps, {
    accountId: input.accountId,
    sliceId: target.id,
    type: 'slice.restore',
    workflow: 'restore-slice',
    workflowInput: { snapshotId: snapshot.id },
    bytesTotal: snapshot.sizeBytes,
    claim: async (operationId) => {
      const reader = { operationId, operationType: 'slice.restore' as const, sliceId: target.id };
      await registerSnapshotReader(deps, ids, reader);
      return () => releaseSnapshotReader(deps, { ...ids, operationId });
    },
    started: (locked, started) => ({
      detailType: EVENT.sliceRestoreStarted,
      detail: {
        ...ids,
        operationId: started.id,
        sliceName: locked.name,
        snapshotName: snapshot.name,
      },
    }),
    notStarted: (_locked, failed, error) => ({
      detailType: EVENT.sliceRestoreFailed,
      detail: { ...ids, operationId: failed.id, error },
    }),
  });
  return { operation, slice, snapshot };
}
