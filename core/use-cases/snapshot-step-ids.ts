/**
 * What every step of a snapshot's workflow (create, delete, verify, copy) is given first: the
 * snapshot and the operation working on it.
 */
export interface SnapshotStepIds {
  readonly accountId: string;
  readonly snapshotId: string;
  readonly operationId: string;
}
