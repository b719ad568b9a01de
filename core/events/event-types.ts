import type { Failure } from '../shared/failure.ts';

/** EventBridge source of every event this service emits. */
export const EVENT_SOURCE = 'slice-snapshots';

/** Event detail-types, exactly as CONTRACT.md names them: users' rules match these strings. */
export const EVENT = {
  snapshotRequested: 'Snapshot Requested',
  snapshotCaptured: 'Snapshot Captured',
  snapshotAvailable: 'Snapshot Available',
  snapshotFailed: 'Snapshot Failed',
  snapshotRenamed: 'Snapshot Renamed',
  snapshotDeleted: 'Snapshot Deleted',
  snapshotRecycled: 'Snapshot Recycled',
  snapshotRecovered: 'Snapshot Recovered',
  snapshotCorrupt: 'Snapshot Corrupt',
  snapshotCopied: 'Snapshot Copied',
  sliceCreated: 'Slice Created',
  sliceCreationFailed: 'Slice Creation Failed',
  sliceRestoreStarted: 'Slice Restore Started',
  sliceRestored: 'Slice Restored',
  sliceRestoreFailed: 'Slice Restore Failed',
  slicePowerChanged: 'Slice Power Changed',
  sliceDeleted: 'Slice Deleted',
  monthlyChargesComputed: 'Monthly Charges Computed',
  policyRunCompleted: 'Policy Run Completed',
} as const;

/** One of the contract's detail-types. */
export type EventDetailType = (typeof EVENT)[keyof typeof EVENT];

/** An event's `detail`: always the account and the ids involved; for failures the error. */
export interface EventDetail {
  readonly accountId: string;
  readonly snapshotId?: string;
  readonly sliceId?: string;
  readonly operationId?: string;
  readonly error?: Failure;
  readonly [field: string]: unknown;
}

/** A state change worth telling users about. */
export interface DomainEvent {
  readonly detailType: EventDetailType;
  readonly detail: EventDetail;
  /**
   * What tells this state change apart from others of its type, when neither the operation (each
   * detail-type happens at most once per operation) nor the whole detail does: e.g. a rename's
   * moment. It makes the event's `eventId`; it is not sent.
   */
  readonly key?: string;
}
