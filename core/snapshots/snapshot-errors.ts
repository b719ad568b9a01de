import {
  domainError,
  illegalTransitionError,
  notFoundError,
  type OperationInTheWay,
} from '../shared/domain-error.ts';
import type { SnapshotStatus } from './snapshot-status.ts';

/** No snapshot with this id in the caller's account (another account's looks the same). */
export class SnapshotNotFoundError extends notFoundError(
  'SnapshotNotFoundError',
  'SNAPSHOT_NOT_FOUND',
  'snapshot',
) {}

/** The snapshot's status does not allow that move. */
export class IllegalSnapshotTransitionError extends illegalTransitionError<SnapshotStatus>(
  'IllegalSnapshotTransitionError',
  'snapshot',
) {}

/** The snapshot is not `available`, so nothing can be made from it (yet, or any more). */
export class SnapshotNotAvailableError extends domainError(
  'SnapshotNotAvailableError',
  'SNAPSHOT_NOT_AVAILABLE',
) {
  readonly status: SnapshotStatus;

  constructor(snapshotId: string, status: SnapshotStatus) {
    super(`snapshot ${snapshotId} is ${status}, not available`);
    this.status = status;
  }
}

/**
 * The snapshot's image failed its verification (a chunk missing or not matching its hash): nothing
 * is restored or made from it.
 */
export class SnapshotCorruptError extends domainError('SnapshotCorruptError', 'SNAPSHOT_CORRUPT') {
  constructor(snapshotId: string) {
    super(
      `snapshot ${snapshotId} is corrupt: its verification found a chunk missing or damaged, so nothing is restored from it`,
    );
  }
}

/** A change to a snapshot that is being deleted (or is gone): only the deletion goes on. */
export class SnapshotBeingDeletedError extends domainError(
  'SnapshotBeingDeletedError',
  'SNAPSHOT_BEING_DELETED',
) {
  constructor(snapshotId: string) {
    super(`snapshot ${snapshotId} is being deleted`);
  }
}

/** A slice is to be made from a snapshot of another region: images stay in their region. */
export class SnapshotRegionMismatchError extends domainError(
  'SnapshotRegionMismatchError',
  'SNAPSHOT_REGION_MISMATCH',
) {
  constructor(snapshotId: string, snapshotRegion: string, targetRegion: string) {
    super(`snapshot ${snapshotId} is in ${snapshotRegion}, not in ${targetRegion}`);
  }
}

/** A copy to the region the snapshot is in: a copy is always to another region's store. */
export class SnapshotAlreadyInRegionError extends domainError(
  'SnapshotAlreadyInRegionError',
  'SNAPSHOT_ALREADY_IN_REGION',
) {
  constructor(snapshotId: string, region: string) {
    super(`snapshot ${snapshotId} is already in ${region}; a copy goes to another region`);
  }
}

/** The target disk is smaller than the snapshot's source disk, so the image cannot fit. */
export class DiskTooSmallError extends domainError('DiskTooSmallError', 'DISK_TOO_SMALL') {
  readonly requiredBytes: number;

  constructor(snapshotId: string, requiredBytes: number, actualBytes: number) {
    super(
      `snapshot ${snapshotId} needs a disk of at least ${requiredBytes} bytes; ` +
        `the disk has ${actualBytes}`,
    );
    this.requiredBytes = requiredBytes;
  }
}

/** A restore or a new slice reads the snapshot's image now: it cannot be deleted meanwhile. */
export class SnapshotInUseError extends domainError('SnapshotInUseError', 'SNAPSHOT_IN_USE') {
  readonly operationId: string;
  override readonly inTheWay: OperationInTheWay;

  constructor(snapshotId: string, reader: OperationInTheWay) {
    super(
      `snapshot ${snapshotId} is in use by operation ${reader.operationId} ` +
        `(${reader.operationType}); delete it once that operation has ended`,
    );
    this.operationId = reader.operationId;
    this.inTheWay = { operationId: reader.operationId, operationType: reader.operationType };
  }
}

/**
 * The snapshot is protected (`"protected": true`): nothing deletes it, recycles it or prunes it
 * until a user sets `"protected": false` again.
 */
export class SnapshotProtectedError extends domainError(
  'SnapshotProtectedError',
  'SNAPSHOT_PROTECTED',
) {
  readonly snapshotId: string;

  constructor(snapshotId: string) {
    super(
      `snapshot ${snapshotId} is protected: set "protected": false ` +
        `(PATCH /v1/snapshots/${snapshotId}) before deleting it`,
    );
    this.snapshotId = snapshotId;
  }
}

/** Only a snapshot in the recycle bin can be recovered. */
export class SnapshotNotRecycledError extends domainError(
  'SnapshotNotRecycledError',
  'SNAPSHOT_NOT_RECYCLED',
) {
  readonly status: SnapshotStatus;

  constructor(snapshotId: string, status: SnapshotStatus) {
    super(
      `snapshot ${snapshotId} is ${status}, not in the recycle bin: there is nothing to recover`,
    );
    this.status = status;
  }
}

/** A snapshot in the recycle bin is deleted again: only a purge (`?purge=true`) deletes it now. */
export class SnapshotAlreadyRecycledError extends domainError(
  'SnapshotAlreadyRecycledError',
  'SNAPSHOT_ALREADY_RECYCLED',
) {
  constructor(snapshotId: string) {
    super(
      `snapshot ${snapshotId} is in the recycle bin already; delete it with ?purge=true to delete it now`,
    );
  }
}
