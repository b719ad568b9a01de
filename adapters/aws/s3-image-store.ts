import { zstdDecompressSync } from 'node:zlib';
import {
  type _Object,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ManifestError, parseManifest } from '../../agent/protocol/manifest.ts';
import {
  CHUNK_ENCODING_METADATA,
  chunkKeyOf,
  chunksPrefixOf,
  manifestKeyOf,
  snapshotIdOfManifestKey,
  snapshotsPrefixOf,
} from '../../blueprint/facts.ts';
import type {
  ChunkPage,
  ImageStore,
  StoredChunk,
  StoredImage,
} from '../../core/ports/image-store.ts';
import { ImageManifestCorruptError } from '../../core/snapshots/image-errors.ts';
import { hashChunkBytes } from '../node/chunk-hash.ts';
import { boundedAll } from './bounded-all.ts';
import { isNotFound, S3TextObjects } from './s3-text-objects.ts';

/** Requests in flight at once for per-object checks and deletions. */
const DEFAULT_CONCURRENCY = 16;

/**
 * ImageStore on the images bucket, in the blueprint's layout (also docs/agent-protocol.md):
 * `<account>/snapshots/<id>/manifest.json` and `<account>/chunks/<hash>`. Manifests are verified
 * with the protocol's own parser (checksum, format, sizes) before anything trusts them.
 */
function storedChunkOf(object: _Object): StoredChunk {
  return {
    key: object.Key ?? '',
    lastModified: object.LastModified ?? new Date(0),
    size: object.Size ?? 0,
  };
}

export class S3ImageStore implements ImageStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #concurrency: number;

  /** Manifests are read, and prefixes listed, as the other small objects are. */
  readonly #objects: S3TextObjects;

  constructor(options: { client: S3Client; bucket: string; concurrency?: number }) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.#objects = new S3TextObjects(options.client, options.bucket);
  }

  async readImage(accountId: string, snapshotId: string): Promise<StoredImage | null> {
    const manifestKey = manifestKeyOf(accountId, snapshotId);
    const text = await this.#objects.get(manifestKey);
    if (text === null) return null;
    try {
      const manifest = parseManifest(text);
      if (manifest.accountId !== accountId || manifest.snapshotId !== snapshotId) {
        throw new ManifestError('it names another account or snapshot');
      }
      const stored = new Map(manifest.chunks.map(([, hash, storedBytes]) => [hash, storedBytes]));
      return {
        snapshotId,
        manifestKey,
        diskBytes: manifest.diskBytes,
        chunkSize: manifest.chunkSize,
        hashAlgorithm: manifest.hashAlgorithm,
        chunks: manifest.chunks.map(([index, hash]) => [index, hash] as const),
        usedBytes: manifest.usedBytes,
        chunkCount: manifest.chunkCount,
        chunkKeys: [...stored.keys()].map((hash) => chunkKeyOf(accountId, hash)),
        chunkStoredBytes: [...stored.values()],
      };
    } catch (error) {
      if (error instanceof ManifestError) {
        throw new ImageManifestCorruptError(snapshotId, error.message);
      }
      throw error;
    }
  }

  async missingObjects(keys: readonly string[]): Promise<string[]> {
    const present = await boundedAll(keys, this.#concurrency, async (key) => {
      try {
        await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    });
    return keys.filter((_, index) => !present[index]);
  }

  async damagedChunks(
    accountId: string,
    hashAlgorithm: string,
    hashes: readonly string[],
  ): Promise<string[]> {
    const whole = await boundedAll(hashes, this.#concurrency, async (hash) => {
      let object: GetObjectCommandOutput;
      try {
        object = await this.#client.send(
          new GetObjectCommand({ Bucket: this.#bucket, Key: chunkKeyOf(accountId, hash) }),
        );
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
      const stored = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
      let raw: Uint8Array;
      try {
        raw =
          object.Metadata?.[CHUNK_ENCODING_METADATA] === 'zstd'
            ? zstdDecompressSync(stored)
            : stored;
      } catch {
        // Bytes that do not even decompress are damaged as surely as bytes that hash wrong.
        return false;
      }
      return (await hashChunkBytes(hashAlgorithm, raw)) === hash;
    });
    return hashes.filter((_, index) => !whole[index]);
  }

  async snapshotsWithImages(accountId: string): Promise<string[]> {
    const objects = await this.#list(snapshotsPrefixOf(accountId));
    return objects.flatMap((object) => snapshotIdOfManifestKey(accountId, object.key) ?? []);
  }

  async listChunkPage(accountId: string, cursor: string | null): Promise<ChunkPage> {
    const page = await this.#client.send(
      new ListObjectsV2Command({
        Bucket: this.#bucket,
        Prefix: chunksPrefixOf(accountId),
        ...(cursor === null ? {} : { ContinuationToken: cursor }),
      }),
    );
    return {
      chunks: (page.Contents ?? []).flatMap((object) =>
        object.Key ? [storedChunkOf(object)] : [],
      ),
      next: page.IsTruncated ? (page.NextContinuationToken ?? null) : null,
    };
  }

  async deleteManifest(accountId: string, snapshotId: string): Promise<void> {
    await this.deleteObjects([manifestKeyOf(accountId, snapshotId)]);
  }

  async deleteObjects(keys: readonly string[]): Promise<void> {
    // One request per object: DeleteObjects needs a checksum header that not every S3 speaks.
    await boundedAll(keys, this.#concurrency, (key) =>
      this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key })),
    );
  }

  async #list(prefix: string): Promise<StoredChunk[]> {
    const objects = await this.#objects.list(prefix);
    return objects.flatMap((object) => (object.Key ? [storedChunkOf(object)] : []));
  }
}
