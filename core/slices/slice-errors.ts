import {
  domainError,
  illegalTransitionError,
  notFoundError,
  type OperationInTheWay,
} from '../shared/domain-error.ts';
import type { SliceLock, SliceStatus } from './slice-status.ts';

/** No slice with this id in the caller's account (another account's slice looks the same). */
export class SliceNotFoundError extends notFoundError(
  'SliceNotFoundError',
  'SLICE_NOT_FOUND',
  'slice',
) {}

/** The slice's status does not allow that move. */
export class IllegalSliceTransitionError extends illegalTransitionError<SliceStatus>(
  'IllegalSliceTransitionError',
  'slice',
) {}

/** Another operation holds the slice; one operation at a time. Names the operation in the way. */
export class SliceBusyError extends domainError('SliceBusyError', 'SLICE_BUSY') {
  readonly holder: SliceLock;
  override readonly inTheWay: OperationInTheWay;

  constructor(sliceId: string, holder: SliceLock) {
    super(
      `slice ${sliceId} is busy with operation ${holder.operationId} (${holder.operationType})`,
    );
    this.holder = holder;
    this.inTheWay = { operationId: holder.operationId, operationType: holder.operationType };
  }
}

/** The operation tried to act under a lock it does not hold (released already, or never taken). */
export class SliceLockNotHeldError extends domainError(
  'SliceLockNotHeldError',
  'SLICE_LOCK_NOT_HELD',
) {
  readonly operationId: string;
  readonly holderOperationId: string | null;

  constructor(sliceId: string, operationId: string, holderOperationId: string | null) {
    super(
      `operation ${operationId} does not hold slice ${sliceId}` +
        (holderOperationId ? ` (operation ${holderOperationId} does)` : ''),
    );
    this.operationId = operationId;
    this.holderOperationId = holderOperationId;
  }
}

/**
 * A restore with no target slice, of a snapshot whose source slice is deleted: there is nothing
 * to restore onto, but a new slice can be made from the snapshot.
 */
export class SourceSliceGoneError extends domainError(
  'SourceSliceGoneError',
  'SOURCE_SLICE_DELETED',
) {
  constructor(snapshotId: string, sliceId: string) {
    super(
      `slice ${sliceId}, the source of snapshot ${snapshotId}, is deleted: create a new slice ` +
        `from the snapshot instead (POST /v1/slices with "snapshotId": "${snapshotId}"), or name ` +
        'another slice to restore onto in "sliceId"',
    );
  }
}

/** The slice has delete protection on (`"deleteProtected": true`): not deleted until unset. */
export class SliceDeleteProtectedError extends domainError(
  'SliceDeleteProtectedError',
  'SLICE_DELETE_PROTECTED',
) {
  readonly sliceId: string;

  constructor(sliceId: string) {
    super(
      `slice ${sliceId} is protected from deletion: set "deleteProtected": false ` +
        `(PATCH /v1/slices/${sliceId}) before deleting it`,
    );
    this.sliceId = sliceId;
  }
}
