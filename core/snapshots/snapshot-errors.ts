import { DomainError } from '../shared/domain-error.ts';
import type { SnapshotStatus } from './snapshot-status.ts';

/** Who reads a snapshot's image, as SnapshotInUseError names it. */
interface ReadingOperation {
  readonly operationId: string;
  readonly operationType: string;
}

/** No snapshot with this id in the caller's account (another account's looks the same). */
export class SnapshotNotFoundError extends DomainError {
  override readonly name = 'SnapshotNotFoundError';
  readonly code = 'SNAPSHOT.NOT_FOUND';
  readonly kind = 'not-found' as const;
  readonly snapshotId: string;

  constructor(snapshotId: string) {
    super(`snapshot ${snapshotId} not found`);
    this.snapshotId = snapshotId;
  }
}

/** The snapshot's status does not allow that move. */
export class IllegalSnapshotTransitionError extends DomainError {
  override readonly name = 'IllegalSnapshotTransitionError';
  readonly code = 'SNAPSHOT.ILLEGAL_TRANSITION';
  readonly kind = 'conflict' as const;
  readonly from: SnapshotStatus;
  readonly to: SnapshotStatus;

  constructor(snapshotId: string, from: SnapshotStatus, to: SnapshotStatus) {
    super(`snapshot ${snapshotId} is ${from}: it cannot become ${to}`);
    this.from = from;
    this.to = to;
  }
}

/** The snapshot is not `available`, so nothing can be made from it (yet, or any more). */
export class SnapshotNotAvailableError extends DomainError {
  override readonly name = 'SnapshotNotAvailableError';
  readonly code = 'SNAPSHOT.NOT_AVAILABLE';
  readonly kind = 'conflict' as const;
  readonly status: SnapshotStatus;

  constructor(snapshotId: string, status: SnapshotStatus) {
    super(`snapshot ${snapshotId} is ${status}, not available`);
    this.status = status;
  }
}

/** A change to a snapshot that is being deleted (or is gone): only the deletion goes on. */
export class SnapshotBeingDeletedError extends DomainError {
  override readonly name = 'SnapshotBeingDeletedError';
  readonly code = 'SNAPSHOT.BEING_DELETED';
  readonly kind = 'conflict' as const;

  constructor(snapshotId: string) {
    super(`snapshot ${snapshotId} is being deleted`);
  }
}

/** A slice is to be made from a snapshot of another region: images stay in their region. */
export class SnapshotRegionMismatchError extends DomainError {
  override readonly name = 'SnapshotRegionMismatchError';
  readonly code = 'SNAPSHOT.REGION_MISMATCH';
  readonly kind = 'unprocessable' as const;

  constructor(snapshotId: string, snapshotRegion: string, targetRegion: string) {
    super(`snapshot ${snapshotId} is in ${snapshotRegion}, not in ${targetRegion}`);
  }
}

/** The target disk is smaller than the snapshot's source disk, so the image cannot fit. */
export class DiskTooSmallError extends DomainError {
  override readonly name = 'DiskTooSmallError';
  readonly code = 'SNAPSHOT.DISK_TOO_SMALL';
  readonly kind = 'unprocessable' as const;
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
export class SnapshotInUseError extends DomainError {
  override readonly name = 'SnapshotInUseError';
  readonly code = 'SNAPSHOT.IN_USE';
  readonly kind = 'conflict' as const;
  readonly operationId: string;

  constructor(snapshotId: string, reader: ReadingOperation) {
    super(
      `snapshot ${snapshotId} is in use by operation ${reader.operationId} ` +
        `(${reader.operationType}); delete it once that operation has ended`,
    );
    this.operationId = reader.operationId;
  }
}

/** Only a snapshot in the recycle bin can be recovered. */
export class SnapshotNotRecycledError extends DomainError {
  override readonly name = 'SnapshotNotRecycledError';
  readonly code = 'SNAPSHOT.NOT_RECYCLED';
  readonly kind = 'conflict' as const;
  readonly status: SnapshotStatus;

  constructor(snapshotId: string, status: SnapshotStatus) {
    super(
      `snapshot ${snapshotId} is ${status}, not in the recycle bin: there is nothing to recover`,
    );
    this.status = status;
  }
}

/** A snapshot in the recycle bin is deleted again: only a purge (`?purge=true`) deletes it now. */
export class SnapshotAlreadyRecycledError extends DomainError {
  override readonly name = 'SnapshotAlreadyRecycledError';
  readonly code = 'SNAPSHOT.ALREADY_RECYCLED';
  readonly kind = 'conflict' as const;

  constructor(snapshotId: string) {
    super(
      `snapshot ${snapshotId} is in the recycle bin already; delete it with ?purge=true to delete it now`,
    );
  }
}
