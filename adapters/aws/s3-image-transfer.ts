import { CopyObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ManifestError, parseManifest, serializeManifest } from '../../agent/protocol/manifest.ts';
import { manifestKeyOf } from '../../blueprint/facts.ts';
import type { ImageLocation, ImageTransfer } from '../../core/ports/image-transfer.ts';
import {
  chunksMissingAt,
  ImageIncompleteError,
  ImageManifestCorruptError,
} from '../../core/snapshots/image-errors.ts';
import { boundedAll } from './bounded-all.ts';
import { isNotFound, S3TextObjects } from './s3-text-objects.ts';

/** Copies in flight at once: each is a request the store serves on its side. */
const DEFAULT_CONCURRENCY = 16;

/** A key in `x-amz-copy-source`: each path segment URL-encoded, the slashes kept. */
function copySourceOf(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * ImageTransfer between the regions' images buckets: chunks by CopyObject, which S3 carries out
 * on its side (no byte passes through the function), and manifests rewritten for the copy's id.
 */
export class S3ImageTransfer implements ImageTransfer {
  readonly #client: S3Client;
  readonly #bucketOf: (region: string) => string;
  readonly #concurrency: number;

  constructor(options: {
    client: S3Client;
    bucketOf: (region: string) => string;
    concurrency?: number;
  }) {
    this.#client = options.client;
    this.#bucketOf = options.bucketOf;
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  async copyObjects(from: ImageLocation, toRegion: string, keys: readonly string[]) {
    const source = this.#bucketOf(from.region);
    const target = this.#bucketOf(toRegion);
    const missing: string[] = [];
    await boundedAll(keys, this.#concurrency, async (key) => {
      try {
        await this.#client.send(
          new CopyObjectCommand({
            Bucket: target,
            Key: key,
            CopySource: copySourceOf(source, key),
          }),
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
        missing.push(key);
      }
    });
    if (missing.length > 0) throw chunksMissingAt(from, missing);
  }

  async copyManifest(accountId: string, from: ImageLocation, to: ImageLocation): Promise<void> {
    const source = new S3TextObjects(this.#client, this.#bucketOf(from.region));
    const text = await source.get(manifestKeyOf(accountId, from.snapshotId));
    if (text === null) throw new ImageIncompleteError(from.snapshotId, 'no manifest is stored');
    let manifest: ReturnType<typeof parseManifest>;
    try {
      manifest = parseManifest(text);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      throw new ImageManifestCorruptError(from.snapshotId, error.message);
    }
    const { checksum: _checksum, ...unsigned } = manifest;
    const target = new S3TextObjects(this.#client, this.#bucketOf(to.region));
    await target.put(
      manifestKeyOf(accountId, to.snapshotId),
      serializeManifest({ ...unsigned, snapshotId: to.snapshotId }),
    );
  }
}
