/**
 * Keeps image uploads and chunk deletions of one account apart. An upload takes as stored any chunk
 * it finds in the store (or in a base snapshot's manifest) without writing it again, and its manifest
 * comes last: a chunk deleted meanwhile would leave it naming a chunk that is gone. So chunks are
 * deleted only while no upload of the account is in flight, and no upload starts during a deletion.
 * Entries expire, so a workflow that died never blocks an account for good.
 */
export interface UploadRegistry {
  /**
   * Records that `snapshotId`'s upload is in flight until `until` (registering it again extends
   * it). ChunkCleanupInProgressError while a chunk deletion holds the account: try again shortly.
   */
  beginUpload(accountId: string, snapshotId: string, until: Date): Promise<void>;

  /** The upload is over (its manifest names its chunks, or it failed); an unknown one is fine. */
  endUpload(accountId: string, snapshotId: string): Promise<void>;

  /**
   * Lets `owner` delete chunks of the account until `until`, or the deletion ends: true when no
   * upload is in flight and no other owner holds the account (in one conditional write), else false.
   * The same owner asking again gets it again.
   */
  beginCleanup(accountId: string, owner: string, until: Date): Promise<boolean>;

  /** Ends `owner`'s chunk deletion; one it does not hold is left alone. */
  endCleanup(accountId: string, owner: string): Promise<void>;
}
