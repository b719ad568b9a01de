import { type Labels, NO_LABELS } from '../labels/labels.ts';
import {
  progressNotStarted,
  recordProgress,
  startTransfer,
  type TransferProgress,
} from '../progress/transfer-progress.ts';
import type { Failure } from '../shared/failure.ts';
import { durationSeconds } from '../shared/time.ts';
import {
  IllegalSnapshotTransitionError,
  SnapshotAlreadyRecycledError,
  SnapshotBeingDeletedError,
  SnapshotCorruptError,
  SnapshotInUseError,
  SnapshotNotAvailableError,
  SnapshotNotRecycledError,
  SnapshotProtectedError,
} from './snapshot-errors.ts';
import type {
  CaptureInfo,
  CaptureShutdown,
  SnapshotConsistency,
  SnapshotStatus,
  VerifyState,
} from './snapshot-status.ts';

/**
 * An operation that reads a snapshot's image (a restore, a slice made from it): while one holds
 * it, the snapshot cannot be deleted. `until` is when its workflow times out at the latest, so a
 * reader whose workflow died never blocks the snapshot for good.
 */
export interface SnapshotReader {
  readonly operationId: string;
  readonly operationType: 'slice.restore' | 'slice.create' | 'snapshot.copy';
  readonly sliceId: string;
  readonly until: string;
}

/** A snapshot (a point-in-time image of a slice's disk) as stored. `accountId` is never shown. */
export interface Snapshot {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly region: string;
  readonly status: SnapshotStatus;
  readonly sliceId: string;
  /** The slice's name at request time, kept after the slice is deleted. */
  readonly sliceName: string;
  /** The source disk's size: the smallest disk the snapshot restores to. */
  readonly diskBytes: number;
  /** Bytes in use on the disk at capture: what is billed. Known for sure once available. */
  readonly sizeBytes: number;
  /** Null until the capture point is fixed. */
  readonly consistency: SnapshotConsistency | null;
  /** Whether the user asked to power the slice off for the capture. */
  readonly powerOff: boolean;
  readonly createdAt: string;
  readonly capturedAt: string | null;
  /** When it became available: billing starts here. */
  readonly completedAt: string | null;
  /**
   * When deletion was requested, into the recycle bin or for good, which is when billing stops.
   * Null again once a recycled snapshot is recovered.
   */
  readonly deletedAt: string | null;
  /** While `recycled`, when the scheduled purge deletes it for good; null in every other status. */
  readonly purgeAt: string | null;
  /** Seconds (millisecond precision) the slice was off for it; 0 only if it never went off. */
  readonly downtimeSeconds: number | null;
  /** How the capture was made; null until the capture point is fixed. */
  readonly captureInfo: CaptureInfo | null;
  readonly progress: TransferProgress;
  readonly error: Failure | null;
  /** Object key of the image manifest, once written. */
  readonly manifestKey: string | null;
  /** Operations reading the image now; part of every write's expected state. */
  readonly readers: readonly SnapshotReader[];
  /** The latest operation deleting it, once deletion was requested. */
  readonly deletionOperationId: string | null;
  readonly labels: Labels;
  /**
   * While true, nothing deletes, recycles or prunes the snapshot: every such path calls
   * {@link assertSnapshotDeletable}.
   */
  readonly protected: boolean;
  /** The snapshot policy that took it, or null when a user asked for it. */
  readonly policyId: string | null;
  /** What the latest verification found; a `corrupt` snapshot is never read (restored) again. */
  readonly verifyState: VerifyState;
  /** When the latest verification ended; null until one has. */
  readonly verifiedAt: string | null;
  /**
   * The snapshot this one is a copy of, in another region; absent or null when it was taken of a
   * slice. A copy is independent: it outlives its source and is billed on its own.
   */
  readonly copiedFrom?: SnapshotOrigin | null;
  readonly updatedAt: string;
}

/** Where a copy came from: the source snapshot and its region, as they were when it was copied. */
export interface SnapshotOrigin {
  readonly snapshotId: string;
  readonly region: string;
}

/** The statuses of a snapshot still being taken: it may yet fail, or become available. */
const FAILABLE: readonly SnapshotStatus[] = ['pending', 'capturing', 'uploading', 'copying'];

/** True while the snapshot is still being taken (pending, capturing or uploading). */
export function isBeingTaken(snapshot: Pick<Snapshot, 'status'>): boolean {
  return FAILABLE.includes(snapshot.status);
}

function assertStatus(snapshot: Snapshot, allowed: readonly SnapshotStatus[], to: SnapshotStatus) {
  if (!allowed.includes(snapshot.status)) {
    throw new IllegalSnapshotTransitionError(snapshot.id, snapshot.status, to);
  }
}

/**
 * A new, `pending` snapshot of a slice. `sizeBytes` starts as the slice's used bytes (the expected
 * upload, and the basis of the first ETA) and is settled from the manifest when available.
 */
export function newSnapshot(input: {
  id: string;
  accountId: string;
  name: string;
  slice: { id: string; name: string; region: string; diskBytes: number; usedBytes: number };
  powerOff: boolean;
  labels?: Labels;
  policyId?: string | null;
  now: string;
}): Snapshot {
  return {
    id: input.id,
    accountId: input.accountId,
    name: input.name,
    region: input.slice.region,
    status: 'pending',
    sliceId: input.slice.id,
    sliceName: input.slice.name,
    diskBytes: input.slice.diskBytes,
    sizeBytes: input.slice.usedBytes,
    consistency: null,
    powerOff: input.powerOff,
    createdAt: input.now,
    capturedAt: null,
    completedAt: null,
    deletedAt: null,
    purgeAt: null,
    downtimeSeconds: null,
    captureInfo: null,
    progress: progressNotStarted(input.slice.usedBytes),
    error: null,
    manifestKey: null,
    readers: [],
    deletionOperationId: null,
    labels: input.labels ?? NO_LABELS,
    protected: false,
    policyId: input.policyId ?? null,
    verifyState: 'unverified',
    verifiedAt: null,
    updatedAt: input.now,
  };
}

/**
 * A snapshot the service takes of a slice's disk before it replaces or deletes it (a pre-restore
 * or final snapshot): of the powered-off slice, in its account, `pending` until its workflow runs.
 */
export function newSafetySnapshot(
  slice: {
    id: string;
    accountId: string;
    name: string;
    region: string;
    diskBytes: number;
    usedBytes: number;
  },
  input: { id: string; name: string; labels?: Labels; now: string },
): Snapshot {
  return newSnapshot({ ...input, accountId: slice.accountId, slice, powerOff: true });
}

/**
 * A `copying` snapshot in `region`: a copy of an available snapshot of another region, the same
 * point in time of the same slice (its capture facts, sizes and labels come with it), under its own
 * id and name. It becomes available once its image is whole in the region's store. Protection is
 * not copied: a user protects the copy on its own.
 */
export function newSnapshotCopy(
  source: Snapshot,
  input: { id: string; name: string; region: string; now: string },
): Snapshot {
  return {
    ...source,
    id: input.id,
    name: input.name,
    region: input.region,
    status: 'copying',
    createdAt: input.now,
    completedAt: null,
    deletedAt: null,
    purgeAt: null,
    progress: progressNotStarted(0),
    error: null,
    manifestKey: null,
    readers: [],
    deletionOperationId: null,
    protected: false,
    policyId: null,
    verifyState: 'unverified',
    verifiedAt: null,
    copiedFrom: { snapshotId: source.id, region: source.region },
    updatedAt: input.now,
  };
}

/** Least downtime reported for a power-off: 0 means the slice never went off (CONTRACT.md). */
const LEAST_DOWNTIME_SECONDS = 0.001;

function downtimeSince(poweredOffAt: string, now: string): number {
  return Math.max(LEAST_DOWNTIME_SECONDS, durationSeconds(poweredOffAt, now));
}

/** pending → capturing: the slice is locked (and powered off if asked); the capture begins. */
export function startCapture(snapshot: Snapshot, now: string): Snapshot {
  assertStatus(snapshot, ['pending'], 'capturing');
  return { ...snapshot, status: 'capturing', updatedAt: now };
}

/**
 * capturing → uploading: the capture point is fixed and the slice is back in its previous power
 * state; `poweredOffAt` (null if it never went off) gives the downtime.
 */
export function markCaptured(
  snapshot: Snapshot,
  capture: {
    consistency: SnapshotConsistency;
    poweredOffAt: string | null;
    shutdown?: CaptureShutdown;
    changedBlockTracking?: boolean;
  },
  now: string,
): Snapshot {
  assertStatus(snapshot, ['capturing'], 'uploading');
  return {
    ...snapshot,
    status: 'uploading',
    consistency: capture.consistency,
    capturedAt: now,
    downtimeSeconds: capture.poweredOffAt ? downtimeSince(capture.poweredOffAt, now) : 0,
    captureInfo: {
      shutdown: capture.shutdown ?? 'none',
      changedBlockTracking: capture.changedBlockTracking ?? false,
      chunksRead: null,
    },
    progress: startTransfer(snapshot.progress, now),
    updatedAt: now,
  };
}

/** Records a copy's progress: bytes transferred of those it has to; only while copying. */
export function recordCopyProgress(
  snapshot: Snapshot,
  bytesDone: number,
  bytesTotal: number,
  now: string,
): Snapshot {
  assertStatus(snapshot, ['copying'], 'copying');
  return {
    ...snapshot,
    progress: recordProgress(snapshot.progress, bytesDone, now, bytesTotal),
    updatedAt: now,
  };
}

/** Records upload progress (a heartbeat), with the measured total if known; only while uploading. */
export function recordUploadProgress(
  snapshot: Snapshot,
  bytesDone: number,
  now: string,
  bytesTotal?: number,
): Snapshot {
  if (snapshot.status !== 'uploading') {
    throw new IllegalSnapshotTransitionError(snapshot.id, snapshot.status, 'uploading');
  }
  return {
    ...snapshot,
    progress: recordProgress(snapshot.progress, bytesDone, now, bytesTotal),
    updatedAt: now,
  };
}

/**
 * uploading → available: the manifest is written and every chunk it names exists. Billing starts at
 * `now` (completedAt) on the manifest's `sizeBytes`; `diskBytes`, when given, is the image's disk
 * size as the manifest records it.
 */
export function markAvailable(
  snapshot: Snapshot,
  image: {
    sizeBytes: number;
    manifestKey: string;
    diskBytes?: number;
    /** What the upload read: changed-block tracking and the chunks read. */
    upload?: { changedBlockTracking: boolean; chunksRead: number };
  },
  now: string,
): Snapshot {
  assertStatus(snapshot, ['uploading', 'copying'], 'available');
  return {
    ...snapshot,
    status: 'available',
    captureInfo:
      snapshot.captureInfo && image.upload
        ? { ...snapshot.captureInfo, ...image.upload }
        : snapshot.captureInfo,
    sizeBytes: image.sizeBytes,
    diskBytes: image.diskBytes ?? snapshot.diskBytes,
    manifestKey: image.manifestKey,
    completedAt: now,
    progress: {
      bytesDone: image.sizeBytes,
      bytesTotal: image.sizeBytes,
      startedAt: snapshot.progress.startedAt ?? now,
      updatedAt: now,
    },
    updatedAt: now,
  };
}

/**
 * pending | capturing | uploading | copying → failed. A failed snapshot is never billed nor
 * restored.
 */
export function markSnapshotFailed(snapshot: Snapshot, error: Failure, now: string): Snapshot {
  assertStatus(snapshot, FAILABLE, 'failed');
  return { ...snapshot, status: 'failed', error, updatedAt: now };
}

/** The readers whose workflows may still run at `now`. */
export function liveReaders(snapshot: Snapshot, now: string): SnapshotReader[] {
  return snapshot.readers.filter((reader) => reader.until > now);
}

/**
 * An operation starts reading an available snapshot's image (SnapshotNotAvailableError otherwise;
 * the undo of a restore reads its kept snapshot from the recycle bin, `fromRecycleBin`).
 * The same operation again changes nothing; readers that expired are dropped on the way.
 */
export function addSnapshotReader(
  snapshot: Snapshot,
  reader: SnapshotReader,
  now: string,
  options: { readonly fromRecycleBin?: boolean } = {},
): Snapshot {
  const readable =
    snapshot.status === 'available' ||
    (options.fromRecycleBin === true && snapshot.status === 'recycled');
  if (!readable) {
    throw new SnapshotNotAvailableError(snapshot.id, snapshot.status);
  }
  // Refused before any of it is written: a restore from a damaged image would fail half-way.
  if (snapshot.verifyState === 'corrupt') throw new SnapshotCorruptError(snapshot.id);
  if (snapshot.readers.some((each) => each.operationId === reader.operationId)) return snapshot;
  return { ...snapshot, readers: [...liveReaders(snapshot, now), reader], updatedAt: now };
}

/** The operation no longer reads the image (in any status; not reading it is fine). */
export function removeSnapshotReader(
  snapshot: Snapshot,
  operationId: string,
  now: string,
): Snapshot {
  if (!snapshot.readers.some((each) => each.operationId === operationId)) return snapshot;
  return {
    ...snapshot,
    readers: snapshot.readers.filter((each) => each.operationId !== operationId),
    updatedAt: now,
  };
}

/**
 * The guard of every path that deletes a snapshot, now or later: the DELETE route, a purge from
 * the recycle bin, a retention rule pruning it, the deletion workflow's first step.
 * SnapshotProtectedError while it is protected.
 */
export function assertSnapshotDeletable(snapshot: Snapshot): void {
  if (snapshot.protected) throw new SnapshotProtectedError(snapshot.id);
}

/**
 * available | failed | recycled → deleting, by `operationId`, before any chunk is removed. Billing
 * stops now (deletedAt), unless it stopped when the snapshot went into the recycle bin, whose
 * moment is kept. Refused with SnapshotProtectedError while it is protected, and with
 * SnapshotInUseError while a restore or a slice made from it reads
 * the image.
 */
export function startSnapshotDeletion(
  snapshot: Snapshot,
  now: string,
  operationId: string | null = null,
): Snapshot {
  assertStatus(snapshot, ['available', 'failed', 'recycled'], 'deleting');
  assertSnapshotDeletable(snapshot);
  const [reader] = liveReaders(snapshot, now);
  if (reader) throw new SnapshotInUseError(snapshot.id, reader);
  return {
    ...snapshot,
    status: 'deleting',
    readers: [],
    deletedAt: snapshot.status === 'recycled' ? (snapshot.deletedAt ?? now) : now,
    purgeAt: null,
    deletionOperationId: operationId,
    updatedAt: now,
  };
}

/**
 * available → recycled, by `operationId`. Billing stops now (deletedAt) and the image is kept; the
 * scheduled purge deletes it at `purgeAt` unless it is recovered first. A restore or a slice made
 * from it that reads the image meanwhile carries on, and only the purge waits for it. Refused with
 * SnapshotProtectedError while it is protected, like every other way of deleting it.
 */
export function markSnapshotRecycled(
  snapshot: Snapshot,
  input: { now: string; purgeAt: string; operationId: string },
): Snapshot {
  if (snapshot.status === 'recycled') throw new SnapshotAlreadyRecycledError(snapshot.id);
  assertStatus(snapshot, ['available'], 'recycled');
  assertSnapshotDeletable(snapshot);
  return {
    ...snapshot,
    status: 'recycled',
    deletedAt: input.now,
    purgeAt: input.purgeAt,
    deletionOperationId: input.operationId,
    updatedAt: input.now,
  };
}

/**
 * uploading → recycled, for the snapshot that keeps the disk a restore replaced: its image is whole
 * (as for {@link markAvailable}), and it goes straight into the recycle bin, by the restore's
 * `operationId`, until `purgeAt`. It is never billed (`completedAt` and `deletedAt` are the same
 * moment), and the purge deletes it with the rest of the bin unless it is recovered.
 */
export function keepInRecycleBin(
  snapshot: Snapshot,
  image: { sizeBytes: number; manifestKey: string; diskBytes?: number },
  input: { now: string; purgeAt: string; operationId: string },
): Snapshot {
  const whole = markAvailable(snapshot, image, input.now);
  return {
    ...whole,
    status: 'recycled',
    deletedAt: input.now,
    purgeAt: input.purgeAt,
    deletionOperationId: input.operationId,
  };
}

/**
 * recycled → available, out of the recycle bin as it went in, since its image was kept; billing
 * starts again now. A snapshot in any other status is SnapshotNotRecycledError.
 */
export function markSnapshotRecovered(snapshot: Snapshot, now: string): Snapshot {
  if (snapshot.status !== 'recycled')
    throw new SnapshotNotRecycledError(snapshot.id, snapshot.status);
  return { ...snapshot, status: 'available', deletedAt: null, purgeAt: null, updatedAt: now };
}

/** A deletion that failed is taken up again by `operationId`; billing stays stopped as it was. */
export function resumeSnapshotDeletion(
  snapshot: Snapshot,
  operationId: string,
  now: string,
): Snapshot {
  assertStatus(snapshot, ['deleting'], 'deleting');
  assertSnapshotDeletable(snapshot);
  return { ...snapshot, deletionOperationId: operationId, updatedAt: now };
}

/** deleting → deleted: its chunks are gone; the record stays as a tombstone for billing. */
export function markSnapshotDeleted(snapshot: Snapshot, now: string): Snapshot {
  assertStatus(snapshot, ['deleting'], 'deleted');
  return { ...snapshot, status: 'deleted', updatedAt: now };
}

/** What `PATCH /v1/snapshots/{id}` may change; what is left out stays as it is. */
export interface SnapshotEdit {
  readonly name?: string;
  readonly labels?: Labels;
  readonly protected?: boolean;
}

/** The snapshot with its name, labels or protection changed, in any status but deleting and deleted. */
export function editSnapshot(snapshot: Snapshot, edit: SnapshotEdit, now: string): Snapshot {
  if (snapshot.status === 'deleting' || snapshot.status === 'deleted') {
    throw new SnapshotBeingDeletedError(snapshot.id);
  }
  return {
    ...snapshot,
    name: edit.name ?? snapshot.name,
    labels: edit.labels ?? snapshot.labels,
    protected: edit.protected ?? snapshot.protected,
    updatedAt: now,
  };
}

/** Since when an available snapshot's image has gone unchecked: its last verification, or its taking. */
export function unverifiedSince(snapshot: Pick<Snapshot, 'verifiedAt' | 'createdAt'>): string {
  return snapshot.verifiedAt ?? snapshot.createdAt;
}

/** Statuses in which the image is stored whole and may be verified. */
const VERIFIABLE: readonly SnapshotStatus[] = ['available', 'recycled'];

/**
 * A snapshot whose image is stored (available, or in the recycle bin) may be verified:
 * SnapshotNotAvailableError otherwise, SnapshotBeingDeletedError once its deletion has begun.
 */
export function assertSnapshotVerifiable(snapshot: Snapshot): void {
  if (snapshot.status === 'deleting' || snapshot.status === 'deleted') {
    throw new SnapshotBeingDeletedError(snapshot.id);
  }
  if (!VERIFIABLE.includes(snapshot.status)) {
    throw new SnapshotNotAvailableError(snapshot.id, snapshot.status);
  }
}

/**
 * What a verification found, at `now`: `ok` when every chunk of the image was stored and matched
 * its hash, `corrupt` otherwise. Only a snapshot whose image is still stored takes it
 * ({@link assertSnapshotVerifiable}).
 */
export function recordVerification(
  snapshot: Snapshot,
  outcome: { readonly corrupt: boolean },
  now: string,
): Snapshot {
  assertSnapshotVerifiable(snapshot);
  return {
    ...snapshot,
    verifyState: outcome.corrupt ? 'corrupt' : 'ok',
    verifiedAt: now,
    updatedAt: now,
  };
}
