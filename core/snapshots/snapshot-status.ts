/** Snapshot statuses of CONTRACT.md. */
export type SnapshotStatus =
  | 'pending'
  | 'capturing'
  | 'uploading'
  | 'available'
  | 'failed'
  | 'deleting'
  | 'deleted';

/** `powered-off`: captured with the VM off; `crash-consistent`: captured while it ran. */
export type SnapshotConsistency = 'powered-off' | 'crash-consistent';
