import { type DomainEvent, EVENT } from '../events/event-types.ts';
import type { Failure } from '../shared/failure.ts';
import type { Snapshot } from './snapshot.ts';

/** The ids every event of a snapshot's operation carries. */
function idsOf(snapshot: Snapshot, operationId: string) {
  return {
    accountId: snapshot.accountId,
    snapshotId: snapshot.id,
    sliceId: snapshot.sliceId,
    operationId,
  };
}

/** `Snapshot Available`: a snapshot (taken, final or copied) that can be used from now on. */
export function snapshotAvailableEvent(snapshot: Snapshot, operationId: string): DomainEvent {
  return {
    detailType: EVENT.snapshotAvailable,
    detail: {
      ...idsOf(snapshot, operationId),
      name: snapshot.name,
      region: snapshot.region,
      sizeBytes: snapshot.sizeBytes,
      diskBytes: snapshot.diskBytes,
      consistency: snapshot.consistency,
      completedAt: snapshot.completedAt,
      downtimeSeconds: snapshot.downtimeSeconds,
    },
  };
}

/** `Snapshot Failed`: a snapshot that will never be available, and why. */
export function snapshotFailedEvent(
  snapshot: Snapshot,
  operationId: string,
  error: Failure,
): DomainEvent {
  return {
    detailType: EVENT.snapshotFailed,
    detail: { ...idsOf(snapshot, operationId), name: snapshot.name, error },
  };
}
