import {
  chunkKeyOf,
  chunksPrefixOf,
  manifestKeyOf,
  snapshotIdOfManifestKey,
} from '../../blueprint/facts.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { ChunkPage, ImageStore, StoredImage } from '../../core/ports/image-store.ts';
import { ImageManifestCorruptError } from '../../core/snapshots/image-errors.ts';

/** The agent's chunk size (docs/agent-protocol.md), which a test's image has unless it says. */
const CHUNK_SIZE = 4 * 1024 * 1024;

/**
 * An image as a test stores it: its sizes and the chunk hashes its manifest names, at indexes
 * 0, 1, 2… unless `indexes` places them (one index each, ascending).
 */
export interface MemoryImage {
  readonly diskBytes: number;
  readonly usedBytes: number;
  readonly chunkHashes: readonly string[];
  /** The bytes a chunk's stored object takes, by hash; a chunk left out takes none. */
  readonly chunkStoredBytes?: Readonly<Record<string, number>>;
  readonly indexes?: readonly number[];
  readonly chunkSize?: number;
  readonly hashAlgorithm?: string;
}

type StoredObject =
  | { readonly kind: 'manifest'; readonly image: MemoryImage | 'corrupt'; readonly at: number }
  | { readonly kind: 'chunk'; readonly at: number; readonly damaged?: boolean };

/**
 * ImageStore in memory: manifests and chunk objects under the same keys as in the bucket, written
 * at the clock's time. `putChunks` and `putImage` play the agent's part.
 */
export class MemoryImageStore implements ImageStore {
  readonly #objects = new Map<string, StoredObject>();
  /** Stored sizes of the chunks a test gave one; others take none. */
  readonly #sizes = new Map<string, number>();
  readonly #clock: Clock;
  readonly #listPageSize: number;

  constructor(options: { clock: Clock; listPageSize?: number }) {
    this.#clock = options.clock;
    this.#listPageSize = options.listPageSize ?? 1000;
  }

  /**
   * Stores chunks of the account (as an upload would, writing again one stored already) and
   * answers their keys; `sizes` gives the bytes each takes, by hash.
   */
  putChunks(
    accountId: string,
    hashes: readonly string[],
    sizes: Readonly<Record<string, number>> = {},
  ): string[] {
    const at = this.#clock.now().getTime();
    return hashes.map((hash) => {
      const key = chunkKeyOf(accountId, hash);
      this.#objects.set(key, { kind: 'chunk', at });
      const size = sizes[hash];
      if (size !== undefined) this.#sizes.set(key, size);
      return key;
    });
  }

  /** Damages a stored chunk, as a flipped bit on a disk of the store would: it no longer matches its hash. */
  damageChunk(accountId: string, hash: string): void {
    const key = chunkKeyOf(accountId, hash);
    const stored = this.#objects.get(key);
    if (stored?.kind !== 'chunk') throw new Error(`no chunk ${key} to damage`);
    this.#objects.set(key, { ...stored, damaged: true });
  }

  /** Stores a manifest (`'corrupt'`: one that fails its checksum). */
  putImage(accountId: string, snapshotId: string, image: MemoryImage | 'corrupt'): void {
    const at = this.#clock.now().getTime();
    this.#objects.set(manifestKeyOf(accountId, snapshotId), { kind: 'manifest', image, at });
  }

  /**
   * Writes these objects of this store into `target` as they are, now; answers the keys this
   * store does not hold (copied: none of them).
   */
  copyObjectsTo(target: MemoryImageStore, keys: readonly string[]): string[] {
    const at = target.#clock.now().getTime();
    const missing = keys.filter((key) => !this.#objects.has(key));
    for (const key of keys) {
      const stored = this.#objects.get(key);
      if (stored === undefined) continue;
      target.#objects.set(key, { ...stored, at });
      const size = this.#sizes.get(key);
      if (size !== undefined) target.#sizes.set(key, size);
    }
    return missing;
  }

  /** Stores in `target` this store's manifest of `fromId` as `toId`'s; false when none is stored. */
  copyManifestTo(target: MemoryImageStore, accountId: string, fromId: string, toId: string) {
    const stored = this.#objects.get(manifestKeyOf(accountId, fromId));
    if (stored?.kind !== 'manifest') return false;
    if (stored.image === 'corrupt') {
      throw new ImageManifestCorruptError(fromId, 'the checksum does not match');
    }
    target.putImage(accountId, toId, stored.image);
    return true;
  }

  /** Every stored key, sorted, for tests to read. */
  keys(): string[] {
    return [...this.#objects.keys()].sort();
  }

  async readImage(accountId: string, snapshotId: string): Promise<StoredImage | null> {
    const manifestKey = manifestKeyOf(accountId, snapshotId);
    const stored = this.#objects.get(manifestKey);
    if (stored?.kind !== 'manifest') return null;
    if (stored.image === 'corrupt') {
      throw new ImageManifestCorruptError(snapshotId, 'the checksum does not match');
    }
    const { image } = stored;
    const hashes = [...new Set(image.chunkHashes)];
    return {
      snapshotId,
      manifestKey,
      diskBytes: image.diskBytes,
      chunkSize: image.chunkSize ?? CHUNK_SIZE,
      hashAlgorithm: image.hashAlgorithm ?? 'blake3',
      chunks: image.chunkHashes.map((hash, at) => [image.indexes?.[at] ?? at, hash] as const),
      usedBytes: image.usedBytes,
      chunkCount: image.chunkHashes.length,
      chunkKeys: hashes.map((hash) => chunkKeyOf(accountId, hash)),
      chunkStoredBytes: hashes.map((hash) => image.chunkStoredBytes?.[hash] ?? 0),
    };
  }

  async missingObjects(keys: readonly string[]): Promise<string[]> {
    return keys.filter((key) => !this.#objects.has(key));
  }

  async damagedChunks(
    accountId: string,
    _hashAlgorithm: string,
    hashes: readonly string[],
  ): Promise<string[]> {
    return hashes.filter((hash) => {
      const stored = this.#objects.get(chunkKeyOf(accountId, hash));
      return stored?.kind !== 'chunk' || stored.damaged === true;
    });
  }

  async snapshotsWithImages(accountId: string): Promise<string[]> {
    return [...this.#objects.entries()].flatMap(([key, stored]) =>
      stored.kind === 'manifest' ? (snapshotIdOfManifestKey(accountId, key) ?? []) : [],
    );
  }

  async listChunkPage(accountId: string, cursor: string | null): Promise<ChunkPage> {
    const prefix = chunksPrefixOf(accountId);
    const keys = this.keys().filter(
      (key) => key.startsWith(prefix) && (cursor === null || key > cursor),
    );
    const page = keys.slice(0, this.#listPageSize);
    const chunks = page.map((key) => {
      const stored = this.#objects.get(key);
      return { key, lastModified: new Date(stored?.at ?? 0), size: this.#sizes.get(key) ?? 0 };
    });
    return { chunks, next: keys.length > page.length ? (page.at(-1) ?? null) : null };
  }

  async deleteManifest(accountId: string, snapshotId: string): Promise<void> {
    this.#objects.delete(manifestKeyOf(accountId, snapshotId));
  }

  async deleteObjects(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.#objects.delete(key);
      this.#sizes.delete(key);
    }
  }
}
