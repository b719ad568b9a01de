import { randomUUID } from 'node:crypto';
import { UlidIdGenerator } from '../../adapters/node/ulid-id-generator.ts';
import { BYTES_PER_GIB } from '../../core/shared/sizes.ts';
import {
  markAvailable,
  markCaptured,
  markSnapshotFailed,
  newSnapshot,
  type Snapshot,
  startCapture,
  startSnapshotDeletion,
} from '../../core/snapshots/snapshot.ts';

const ids = new UlidIdGenerator();

/** A fresh account id, so that tests sharing a table never see each other's records. */
export function aBillingAccount(): string {
  return `bill-${randomUUID()}`;
}

/**
 * A snapshot taken through the real transitions and made available at `completedAt`, with
 * `sizeBytes` in use on a 100 GiB disk (40 GiB unless given).
 */
export function anAvailableSnapshot(options: {
  accountId: string;
  completedAt: string;
  sizeBytes?: number;
  name?: string;
}): Snapshot {
  const requested = new Date(new Date(options.completedAt).getTime() - 60_000).toISOString();
  const sizeBytes = options.sizeBytes ?? 40 * BYTES_PER_GIB;
  const pending = newSnapshot({
    id: ids.next('snapshot'),
    accountId: options.accountId,
    name: options.name ?? 'nightly',
    slice: {
      id: ids.next('slice'),
      name: 'web-1',
      region: 'fra1',
      diskBytes: 100 * BYTES_PER_GIB,
      usedBytes: sizeBytes,
    },
    powerOff: true,
    now: requested,
  });
  const captured = markCaptured(
    startCapture(pending, requested),
    { consistency: 'powered-off', poweredOffAt: requested },
    requested,
  );
  return markAvailable(
    captured,
    { sizeBytes, manifestKey: `${options.accountId}/snapshots/${pending.id}/manifest.json` },
    options.completedAt,
  );
}

/** The snapshot with its deletion requested at `at`: billing stops then. */
export function deletionRequested(snapshot: Snapshot, at: string): Snapshot {
  return startSnapshotDeletion(snapshot, at);
}

/** A snapshot that failed while uploading: never available, never billed. */
export function aFailedSnapshot(accountId: string, at: string): Snapshot {
  const pending = newSnapshot({
    id: ids.next('snapshot'),
    accountId,
    name: 'broken',
    slice: { id: ids.next('slice'), name: 'web-1', region: 'fra1', diskBytes: 10, usedBytes: 5 },
    powerOff: false,
    now: at,
  });
  return markSnapshotFailed(
    pending,
    { code: 'SNAPSHOT.UPLOAD_FAILED', message: 'the store refused the upload' },
    at,
  );
}
