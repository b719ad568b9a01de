import { SNAPSHOT_STATUSES, type SnapshotStatus } from '../snapshots/snapshot-status.ts';

/**
 * Statuses whose manifests the mark pass counts: what the user still has. A snapshot being taken
 * or copied has no manifest until its image is whole, and then counts at once; failed, deleting and
 * deleted ones are on their way out.
 */
export const LIVE_STATUSES: readonly SnapshotStatus[] = SNAPSHOT_STATUSES.filter(
  (status) => status !== 'failed' && status !== 'deleting' && status !== 'deleted',
);

/** Snapshots, and so manifests, read by one step of the pass. */
export const MARK_PAGE_SIZE = 100;

/** Manifests read at once within a page. */
export const MANIFEST_READS_AT_ONCE = 16;

/**
 * How long a requested pass stays pending before another request starts one anyway: well beyond
 * the time a workflow takes to begin, so only a start that was lost is made up for.
 */
export const MARK_REQUEST_SECONDS = 900;

/**
 * Where a pass is in the account's snapshots: first the list of those outside the recycle bin,
 * then the recycle bin, each a cursor at a time (null: from the start).
 */
export interface MarkPosition {
  readonly phase: 'listed' | 'recycled';
  readonly cursor: string | null;
}

/** The position a pass starts from. */
export const MARK_START: MarkPosition = { phase: 'listed', cursor: null };
