import type { ImageLayout } from '../snapshots/image-changes.ts';

/**
 * What the backend reads of a snapshot's stored image: the manifest's sizes, its layout (which
 * chunk of the disk holds what) and the keys of the chunks it names.
 */
export interface StoredImage extends ImageLayout {
  readonly snapshotId: string;
  /** Object key of the manifest. */
  readonly manifestKey: string;
  /** Bytes in the non-zero chunks: what the snapshot is billed on. */
  readonly usedBytes: number;
  /** Non-zero chunks the image is made of (chunk indexes, not distinct chunks). */
  readonly chunkCount: number;
  /** Object keys of the distinct chunks the manifest names. */
  readonly chunkKeys: readonly string[];
  /**
   * The bytes each of `chunkKeys` takes in the store (compressed), in the same order, as the agent
   * recorded them in the manifest when it stored or found each chunk.
   */
  readonly chunkStoredBytes: readonly number[];
}

/** A stored chunk object and when it was last written. */
export interface StoredChunk {
  readonly key: string;
  readonly lastModified: Date;
  /** Bytes the object takes in the store. */
  readonly size: number;
}

/** One page of an account's stored chunks, in key order. */
export interface ChunkPage {
  readonly chunks: readonly StoredChunk[];
  /** Where the next page starts; null on the last. */
  readonly next: string | null;
}

/**
 * The images bucket, as the backend sees it: each account's snapshot manifests and content-addressed
 * chunks, under the account's own prefix. Agents write images; the backend verifies and removes them.
 */
export interface ImageStore {
  /**
   * The snapshot's image as its manifest describes it, or null when no manifest is stored.
   * ImageCorruptError when a manifest is stored but fails its checksum or format.
   */
  readImage(accountId: string, snapshotId: string): Promise<StoredImage | null>;

  /** The keys of `keys` that are not stored (one existence check each, a few at a time). */
  missingObjects(keys: readonly string[]): Promise<string[]>;

  /**
   * The chunks of `hashes` (distinct chunks of the account) that are not stored whole: missing, or
   * whose raw bytes, once decoded, do not hash to their name by `hashAlgorithm`. Every one is read
   * back in full, a few at a time; a store that fails to answer throws.
   */
  damagedChunks(
    accountId: string,
    hashAlgorithm: string,
    hashes: readonly string[],
  ): Promise<string[]>;

  /** Snapshot ids of the account that have a manifest stored, in no particular order. */
  snapshotsWithImages(accountId: string): Promise<string[]>;

  /** A page (up to 1,000) of the account's stored chunks, from `cursor` (null: the first page). */
  listChunkPage(accountId: string, cursor: string | null): Promise<ChunkPage>;

  /** Deletes the snapshot's manifest; none stored is fine. */
  deleteManifest(accountId: string, snapshotId: string): Promise<void>;

  /** Deletes these objects; keys not stored are fine. */
  deleteObjects(keys: readonly string[]): Promise<void>;
}
