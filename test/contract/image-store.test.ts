import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, inject } from 'vitest';
import { S3ImageStore } from '../../adapters/aws/s3-image-store.ts';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import { MemoryImageStore } from '../../adapters/memory/memory-image-store.ts';
import { chunkKeyOf, manifestKeyOf } from '../../agent/protocol/commands.ts';
import { MANIFEST_FORMAT, serializeManifest } from '../../agent/protocol/manifest.ts';
import { localS3Config } from '../../local/s3.ts';
import { imageStoreContract, type SeededImage } from './image-store.contract.ts';

const CHUNK = 4 * 1024 * 1024;

/** A manifest as the agent writes it (agent/protocol/manifest.ts), chunks in index order. */
function manifestOf(accountId: string, snapshotId: string, image: SeededImage): string {
  return serializeManifest({
    format: MANIFEST_FORMAT,
    accountId,
    snapshotId,
    createdAt: new Date().toISOString(),
    diskBytes: image.diskBytes,
    chunkSize: CHUNK,
    hashAlgorithm: 'blake3',
    usedBytes: image.chunkHashes.length * CHUNK,
    storedBytes: image.chunkHashes.length * 100,
    chunkCount: image.chunkHashes.length,
    chunks: image.chunkHashes.map((hash, index) => [index, hash, 100] as const),
  });
}

describe('ImageStore', () => {
  describe('in memory', () => {
    imageStoreContract(() => {
      const store = new MemoryImageStore({ clock: new ManualClock(new Date()) });
      return {
        store,
        putChunks: async (accountId, hashes) => {
          store.putChunks(accountId, hashes);
        },
        putImage: async (accountId, snapshotId, image) => {
          store.putImage(accountId, snapshotId, {
            diskBytes: image.diskBytes,
            usedBytes: image.chunkHashes.length * CHUNK,
            chunkHashes: image.chunkHashes,
          });
        },
        putCorruptManifest: async (accountId, snapshotId) => {
          store.putImage(accountId, snapshotId, 'corrupt');
        },
      };
    });
  });

  describe('on s3rver', () => {
    const client = new S3Client(localS3Config(inject('s3Endpoint')));
    const bucket = inject('imagesBucket');
    const put = (key: string, body: string) =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    afterAll(() => client.destroy());

    imageStoreContract(() => ({
      store: new S3ImageStore({ client, bucket }),
      putChunks: async (accountId, hashes) => {
        for (const hash of hashes) await put(chunkKeyOf(accountId, hash), 'chunk bytes');
      },
      putImage: async (accountId, snapshotId, image) => {
        await put(manifestKeyOf(accountId, snapshotId), manifestOf(accountId, snapshotId, image));
      },
      putCorruptManifest: async (accountId, snapshotId) => {
        const text = manifestOf(accountId, snapshotId, { diskBytes: CHUNK, chunkHashes: [] });
        await put(
          manifestKeyOf(accountId, snapshotId),
          text.replace('"diskBytes":', '"diskBytes":1'),
        );
      },
    }));
  });
});
