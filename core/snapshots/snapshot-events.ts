import { type DomainEvent, EVENT, type EventDetailType } from '../events/event-types.ts';
import type { Failure } from '../shared/failure.ts';
import type { Snapshot } from './snapshot.ts';

/** The ids every event of a snapshot carries: its account, itself and its slice. */
function idsOf(snapshot: Snapshot) {
  return { accountId: snapshot.accountId, snapshotId: snapshot.id, sliceId: snapshot.sliceId };
}

/**
 * An event of a snapshot's operation: the snapshot's ids and the operation's, then the event's
 * own fields.
 */
function snapshotEvent(
  detailType: EventDetailType,
  snapshot: Snapshot,
  operationId: string,
  fields: Readonly<Record<string, unknown>>,
): DomainEvent {
  return { detailType, detail: { ...idsOf(snapshot), operationId, ...fields } };
}

/**
 * An event of a change made without an operation (a rename, a recovery), which can happen many
 * times to one snapshot: the moment of the change tells them apart.
 */
function snapshotChangeEvent(
  detailType: EventDetailType,
  snapshot: Snapshot,
  fields: Readonly<Record<string, unknown>>,
): DomainEvent {
  return {
    detailType,
    detail: { ...idsOf(snapshot), ...fields },
    key: `${snapshot.id}@${snapshot.updatedAt}`,
  };
}

/** `Snapshot Requested`: a snapshot's operation has begun; the snapshot is `pending`. */
export function snapshotRequestedEvent(snapshot: Snapshot, operationId: string): DomainEvent {
  const { name, region, powerOff } = snapshot;
  return snapshotEvent(EVENT.snapshotRequested, snapshot, operationId, { name, region, powerOff });
}

/** `Snapshot Available`: a snapshot (taken, final or copied) that can be used from now on. */
export function snapshotAvailableEvent(snapshot: Snapshot, operationId: string): DomainEvent {
  const { name, region, sizeBytes, diskBytes, consistency, completedAt, downtimeSeconds } =
    snapshot;
  return snapshotEvent(EVENT.snapshotAvailable, snapshot, operationId, {
    name,
    region,
    sizeBytes,
    diskBytes,
    consistency,
    completedAt,
    downtimeSeconds,
  });
}

/** `Snapshot Failed`: a snapshot that will never be available, and why. */
export function snapshotFailedEvent(
  snapshot: Snapshot,
  operationId: string,
  error: Failure,
): DomainEvent {
  return snapshotEvent(EVENT.snapshotFailed, snapshot, operationId, { name: snapshot.name, error });
}

/** `Snapshot Captured`: the capture point exists; the slice may be powered on again. */
export function snapshotCapturedEvent(snapshot: Snapshot, operationId: string): DomainEvent {
  const { consistency, downtimeSeconds } = snapshot;
  return snapshotEvent(EVENT.snapshotCaptured, snapshot, operationId, {
    consistency,
    downtimeSeconds,
  });
}

/** `Snapshot Recycled`: a snapshot in the recycle bin, recoverable until `purgeAt`. */
export function snapshotRecycledEvent(snapshot: Snapshot, operationId: string): DomainEvent {
  const { name, deletedAt, purgeAt } = snapshot;
  return snapshotEvent(EVENT.snapshotRecycled, snapshot, operationId, { name, deletedAt, purgeAt });
}

/** `Snapshot Deleted`: a snapshot gone for good; only its billing tombstone stays. */
export function snapshotDeletedEvent(snapshot: Snapshot, operationId: string): DomainEvent {
  const { name, deletedAt } = snapshot;
  return snapshotEvent(EVENT.snapshotDeleted, snapshot, operationId, { name, deletedAt });
}

/** `Snapshot Corrupt`: a verification read chunks or a manifest that no longer match. */
export function snapshotCorruptEvent(
  snapshot: Snapshot,
  operationId: string,
  found: { readonly damagedChunks: number; readonly manifestDamaged: boolean },
): DomainEvent {
  const { damagedChunks, manifestDamaged } = found;
  return snapshotEvent(EVENT.snapshotCorrupt, snapshot, operationId, {
    damagedChunks,
    manifestDamaged,
  });
}

/** `Snapshot Copied`: a copy available in its region, with where it came from and what moved. */
export function snapshotCopiedEvent(
  copy: Snapshot,
  operationId: string,
  bytesTransferred: number,
): DomainEvent {
  return snapshotEvent(EVENT.snapshotCopied, copy, operationId, {
    name: copy.name,
    region: copy.region,
    sourceSnapshotId: copy.copiedFrom?.snapshotId ?? null,
    sourceRegion: copy.copiedFrom?.region ?? null,
    bytesTransferred,
  });
}

/** `Snapshot Renamed`: `next` is the snapshot under its new name. A name can come back (a → b → a). */
export function snapshotRenamedEvent(previous: Snapshot, next: Snapshot): DomainEvent {
  return snapshotChangeEvent(EVENT.snapshotRenamed, next, {
    name: next.name,
    previousName: previous.name,
  });
}

/** `Snapshot Recovered`: a snapshot out of the recycle bin, available again. */
export function snapshotRecoveredEvent(recovered: Snapshot): DomainEvent {
  return snapshotChangeEvent(EVENT.snapshotRecovered, recovered, {
    name: recovered.name,
    recoveredAt: recovered.updatedAt,
  });
}
