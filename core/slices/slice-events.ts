import { type DomainEvent, EVENT } from '../events/event-types.ts';
import type { Failure } from '../shared/failure.ts';
import type { Slice } from './slice.ts';

/** The ids every event of a slice's operation carries, with the slice's name. */
function idsOf(slice: Slice, operationId: string) {
  return { accountId: slice.accountId, sliceId: slice.id, operationId, name: slice.name };
}

/** The ids of a restore: the slice it writes, the snapshot it reads and its operation. */
export interface RestoreIds {
  readonly accountId: string;
  readonly sliceId: string;
  readonly snapshotId: string;
  readonly operationId: string;
}

function restoreIdsOf(ids: RestoreIds) {
  const { accountId, sliceId, snapshotId, operationId } = ids;
  return { accountId, sliceId, snapshotId, operationId };
}

/** `Slice Created`: a slice built in its region, empty or from a snapshot, powered as asked. */
export function sliceCreatedEvent(slice: Slice, operationId: string): DomainEvent {
  return {
    detailType: EVENT.sliceCreated,
    detail: {
      ...idsOf(slice, operationId),
      region: slice.region,
      power: slice.power,
      fromSnapshotId: slice.fromSnapshotId,
    },
  };
}

/** `Slice Creation Failed`: a slice whose build failed, and why. */
export function sliceCreationFailedEvent(
  slice: Slice,
  operationId: string,
  error: Failure,
): DomainEvent {
  return {
    detailType: EVENT.sliceCreationFailed,
    detail: { ...idsOf(slice, operationId), region: slice.region, error },
  };
}

/** `Slice Deleted`: a slice gone with its disk; its snapshots stay. */
export function sliceDeletedEvent(slice: Slice, operationId: string): DomainEvent {
  return { detailType: EVENT.sliceDeleted, detail: idsOf(slice, operationId) };
}

/** `Slice Restored`: the snapshot's image is the slice's disk now. */
export function sliceRestoredEvent(restore: RestoreIds): DomainEvent {
  return { detailType: EVENT.sliceRestored, detail: restoreIdsOf(restore) };
}

/** `Slice Restore Failed`: the slice's disk is as it was before the restore, and why it failed. */
export function sliceRestoreFailedEvent(restore: RestoreIds, error: Failure): DomainEvent {
  return { detailType: EVENT.sliceRestoreFailed, detail: { ...restoreIdsOf(restore), error } };
}
