/**
 * Snapshot statuses of CONTRACT.md. `recycled`: deleted into the recycle bin, its image kept and
 * not billed until it is recovered (`available` again) or purged (`deleting`). `copying`: a copy of
 * another region's snapshot whose chunks are being transferred; `available` or `failed` next.
 */
export const SNAPSHOT_STATUSES = [
  'pending',
  'capturing',
  'uploading',
  'copying',
  'available',
  'recycled',
  'failed',
  'deleting',
  'deleted',
] as const;

export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

/**
 * `powered-off`: captured with the VM off; `fs-frozen`: captured while it ran, its filesystems
 * frozen by its guest agent; `crash-consistent`: captured while it ran, as a power cut would leave it.
 */
export type SnapshotConsistency = 'powered-off' | 'fs-frozen' | 'crash-consistent';

/**
 * What reading the image back last found: `unverified` until a verification has run, `ok` when
 * every chunk it names was stored and matched its hash, `corrupt` when one was missing or did not.
 */
export type VerifyState = 'unverified' | 'ok' | 'corrupt';

/** How the guest went down for the capture: `none` when the workflow did not power it off. */
export type CaptureShutdown = 'graceful' | 'forced' | 'none';

/** How the capture was made, as the host reported it. */
export interface CaptureInfo {
  readonly shutdown: CaptureShutdown;
  /** The upload read only the chunks written since the base snapshot's capture. */
  readonly changedBlockTracking: boolean;
  /** Chunks the upload read and hashed; null until the upload is done. */
  readonly chunksRead: number | null;
}
