import { randomUUID } from 'node:crypto';
import { UlidIdGenerator } from '../../adapters/node/ulid-id-generator.ts';
import { CHUNK_SIZE } from '../../agent/image/chunk-bytes.ts';
import { MANIFEST_FORMAT, type UnsignedManifest } from '../../agent/protocol/manifest.ts';
import { newOperation, type Operation } from '../../core/operations/operation.ts';
import type { SnapshotPolicy } from '../../core/policies/snapshot-policy.ts';
import type { ResourceKind } from '../../core/shared/ids.ts';
import { BYTES_PER_GIB } from '../../core/shared/sizes.ts';
import { activateSlice, newSlice, type Slice } from '../../core/slices/slice.ts';
import {
  markAvailable,
  markCaptured,
  markSnapshotFailed,
  newSnapshot,
  type Snapshot,
  startCapture,
  startSnapshotDeletion,
} from '../../core/snapshots/snapshot.ts';

/*
 * Records as the domain builds them, for tests of every level: each builder goes through the
 * domain's own constructors and transitions, then applies the overrides it is given, so a test
 * names only the fields it is about. Ids are fresh ULIDs (increasing, so lists read newest first)
 * unless given; the account is ACCOUNT unless given.
 */

const ids = new UlidIdGenerator();

/** The account of records built without one. */
export const ACCOUNT = 'acct-1';

/** When records built without a time were made. */
export const T0 = '2025-03-01T10:00:00.000Z';

/** A fresh account id, so that tests sharing a table never see each other's records. */
export function anAccountId(): string {
  return `acct-${randomUUID()}`;
}

/** A new id of that kind, increasing with each call. */
export function anId(kind: ResourceKind): string {
  return ids.next(kind);
}

/** A slice as a create request makes it: `building`, 25 GiB, on no host yet, made at T0. */
export function aBuildingSlice(overrides: Partial<Slice> = {}): Slice {
  const slice = newSlice({
    id: anId('slice'),
    accountId: ACCOUNT,
    name: 'web-1',
    region: 'fra1',
    diskBytes: 25 * BYTES_PER_GIB,
    now: T0,
  });
  return { ...slice, ...overrides };
}

/** A slice as its build leaves it: `active` on host-1 and powered on. */
export function aSlice(overrides: Partial<Slice> = {}): Slice {
  const active = activateSlice(aBuildingSlice(), { hostId: 'host-1', power: 'on' }, T0);
  return { ...active, ...overrides };
}

/** The request of a snapshot: 40 GiB used of a 100 GiB disk, the slice powered off first. */
function requestedSnapshot(fields: Partial<Snapshot>, now: string): Snapshot {
  return newSnapshot({
    id: fields.id ?? anId('snapshot'),
    accountId: fields.accountId ?? ACCOUNT,
    name: fields.name ?? 'nightly',
    slice: {
      id: fields.sliceId ?? anId('slice'),
      name: fields.sliceName ?? 'web-1',
      region: fields.region ?? 'fra1',
      diskBytes: fields.diskBytes ?? 100 * BYTES_PER_GIB,
      usedBytes: fields.sizeBytes ?? 40 * BYTES_PER_GIB,
    },
    powerOff: fields.powerOff ?? true,
    now,
  });
}

/** A snapshot just requested: `pending`, made at T0 unless its `createdAt` is given. */
export function aSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return { ...requestedSnapshot(overrides, overrides.createdAt ?? T0), ...overrides };
}

/** When each step of taking a snapshot happens, for {@link takingSteps}. */
export interface TakingTimes {
  /** The capture starts. */
  startedAt: string;
  /** The slice is powered off for the capture. */
  poweredOffAt: string;
  /** The capture is done and the upload starts. */
  capturedAt: string;
  /** The image is stored: the snapshot is available. */
  availableAt: string;
}

/**
 * The records a pending snapshot becomes as it is taken, through the domain's transitions: its
 * capture with the slice powered off, its upload, and available with the image as `stored`.
 */
export function takingSteps(
  pending: Snapshot,
  at: TakingTimes,
  stored: Parameters<typeof markAvailable>[1],
): { capturing: Snapshot; uploading: Snapshot; available: Snapshot } {
  const capturing = startCapture(pending, at.startedAt);
  const uploading = markCaptured(
    capturing,
    { consistency: 'powered-off', poweredOffAt: at.poweredOffAt },
    at.capturedAt,
  );
  const available = markAvailable(uploading, stored, at.availableAt);
  return { capturing, uploading, available };
}

/**
 * A snapshot taken through the real transitions: requested a minute before its `completedAt`
 * (T0 + 1 min unless given), captured powered off at once, available with its manifest stored.
 */
export function anAvailableSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  const completedAt = overrides.completedAt ?? '2025-03-01T10:01:00.000Z';
  const requestedAt = new Date(Date.parse(completedAt) - 60_000).toISOString();
  const pending = requestedSnapshot(overrides, requestedAt);
  const { available } = takingSteps(
    pending,
    {
      startedAt: requestedAt,
      poweredOffAt: requestedAt,
      capturedAt: requestedAt,
      availableAt: completedAt,
    },
    {
      sizeBytes: pending.sizeBytes,
      manifestKey: `${pending.accountId}/snapshots/${pending.id}/manifest.json`,
    },
  );
  return { ...available, ...overrides };
}

/** The snapshot with its deletion requested at `at`: billing stops then. */
export function deletionRequested(snapshot: Snapshot, at: string): Snapshot {
  return startSnapshotDeletion(snapshot, at);
}

/** A snapshot whose upload failed at `at`: never available, never billed. */
export function aFailedSnapshot(overrides: Partial<Snapshot> = {}, at = T0): Snapshot {
  const pending = requestedSnapshot({ name: 'broken', powerOff: false, ...overrides }, at);
  const failed = markSnapshotFailed(
    pending,
    { code: 'STORE_UNAVAILABLE', message: 'the store refused the upload' },
    at,
  );
  return { ...failed, ...overrides };
}

/** An operation just started at T0: `running`, a snapshot's creation unless another `type`. */
export function anOperation(overrides: Partial<Operation> = {}): Operation {
  const operation = newOperation({
    id: anId('operation'),
    accountId: ACCOUNT,
    type: overrides.type ?? 'snapshot.create',
    resourceId: anId('snapshot'),
    bytesTotal: 1000,
    now: T0,
  });
  return { ...operation, ...overrides };
}

/**
 * The manifest the agent writes for an image whose chunks are `chunkHashes`, in index order:
 * full chunks, each stored in 100 bytes, on a disk of eight chunks unless given.
 */
export function aManifest(
  fields: Pick<UnsignedManifest, 'accountId' | 'snapshotId'> & Partial<UnsignedManifest>,
  chunkHashes: readonly string[],
): UnsignedManifest {
  return {
    format: MANIFEST_FORMAT,
    createdAt: T0,
    diskBytes: 8 * CHUNK_SIZE,
    chunkSize: CHUNK_SIZE,
    hashAlgorithm: 'blake3',
    usedBytes: chunkHashes.length * CHUNK_SIZE,
    storedBytes: chunkHashes.length * 100,
    chunkCount: chunkHashes.length,
    chunks: chunkHashes.map((hash, index) => [index, hash, 100] as const),
    ...fields,
  };
}

/** A policy as a create makes it: hourly, three kept, of one slice, made at T0. */
export function aPolicy(overrides: Partial<SnapshotPolicy> = {}): SnapshotPolicy {
  return {
    id: anId('policy'),
    accountId: ACCOUNT,
    name: 'hourly',
    enabled: true,
    schedule: { every: '1h' },
    target: { sliceIds: [anId('slice')] },
    retain: { last: 3 },
    powerOff: false,
    labels: {},
    onSliceDeleted: 'keep',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}
