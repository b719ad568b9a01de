/** How many recent snapshots of a slice are searched for the one an upload builds on. */
export const BASE_SNAPSHOT_SEARCH = 20;
