/** How long one chunk deletion may hold its account; the deleting step itself ends well before. */
export const CHUNK_CLEANUP_LEASE_SECONDS = 900;

/**
 * Chunks a failed upload may have written are those stored from a little before its snapshot was
 * requested: the margin covers the clocks of the store and of the functions disagreeing.
 */
export const UPLOAD_WINDOW_MARGIN_MS = 5 * 60_000;

/** How many recent snapshots of a slice are searched for the one an upload builds on. */
export const BASE_SNAPSHOT_SEARCH = 20;
