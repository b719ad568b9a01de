/**
 * How long the workflows that read a snapshot's image may run at most (the TimeoutSeconds of
 * restore-slice and create-slice): a reader they register expires then, so a workflow that died
 * never keeps its snapshot from being deleted.
 */
export const SNAPSHOT_READ_TIMEOUT_SECONDS = 28_800;
