/** A snapshot's image in the store of a region. */
export interface ImageLocation {
  readonly region: string;
  readonly snapshotId: string;
}

/**
 * Moves an account's image objects from one region's store to another's: what a copy of a snapshot
 * to another region transfers. Chunk keys are the same in every region (account and hash).
 */
export interface ImageTransfer {
  /**
   * Copies these objects of the image at `from` to `toRegion`'s store, a few at a time,
   * server-side where the stores allow it; one already at the target is written again. A key
   * missing at the source throws ImageIncompleteError.
   */
  copyObjects(from: ImageLocation, toRegion: string, keys: readonly string[]): Promise<void>;

  /**
   * Writes the manifest of `to` in its region's store: the manifest of `from`, naming the same
   * chunks, under the copy's snapshot id. ImageIncompleteError when `from` has no manifest;
   * ImageManifestCorruptError when it fails its checksum.
   */
  copyManifest(accountId: string, from: ImageLocation, to: ImageLocation): Promise<void>;
}
