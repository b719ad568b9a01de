import { zstdCompressSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { S3ImageStore } from '../../adapters/aws/s3-image-store.ts';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import { MemoryImageStore } from '../../adapters/memory/memory-image-store.ts';
import { CHUNK_SIZE as CHUNK, hashChunk } from '../../agent/image/chunk-bytes.ts';
import { serializeManifest } from '../../agent/protocol/manifest.ts';
import { CHUNK_ENCODING_METADATA, chunkKeyOf, manifestKeyOf } from '../../blueprint/facts.ts';
import { aManifest } from '../support/records.ts';
import { describeContract } from './describe-contract.ts';
import { imageStoreContract, type SeededImage } from './image-store.contract.ts';

/** The manifest the agent writes for `image` (agent/protocol/manifest.ts). */
function manifestOf(accountId: string, snapshotId: string, image: SeededImage): string {
  const { diskBytes, chunkHashes, chunkStoredBytes } = image;
  const manifest = aManifest({ accountId, snapshotId, diskBytes }, chunkHashes);
  const chunks = manifest.chunks.map(
    ([index, hash]) => [index, hash, chunkStoredBytes?.[hash] ?? 0] as const,
  );
  return serializeManifest({ ...manifest, chunks });
}

describeContract('ImageStore', imageStoreContract, {
  memory: () => {
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
          chunkStoredBytes: image.chunkStoredBytes,
        });
      },
      putCorruptManifest: async (accountId, snapshotId) => {
        store.putImage(accountId, snapshotId, 'corrupt');
      },
      putWholeChunk: async (accountId, bytes) => {
        const hash = hashChunk('blake3', bytes);
        store.putChunks(accountId, [hash]);
        return hash;
      },
      damageChunk: async (accountId, hash) => {
        store.damageChunk(accountId, hash);
      },
    };
  },
  s3: ({ client, bucket }) => {
    const put = (key: string, body: string) =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return () => ({
      store: new S3ImageStore({ client, bucket }),
      putChunks: async (accountId, hashes) => {
        for (const hash of hashes) await put(chunkKeyOf(accountId, hash), 'chunk bytes');
      },
      putImage: async (accountId, snapshotId, image) => {
        await put(manifestKeyOf(accountId, snapshotId), manifestOf(accountId, snapshotId, image));
      },
      putCorruptManifest: async (accountId, snapshotId) => {
        const text = manifestOf(accountId, snapshotId, {
          diskBytes: CHUNK,
          chunkHashes: [],
          chunkStoredBytes: {},
        });
        await put(
          manifestKeyOf(accountId, snapshotId),
          text.replace('"diskBytes":', '"diskBytes":1'),
        );
      },
      putWholeChunk: async (accountId, bytes, encoding) => {
        const hash = hashChunk('blake3', bytes);
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: chunkKeyOf(accountId, hash),
            Body: encoding === 'zstd' ? zstdCompressSync(bytes) : bytes,
            Metadata: { [CHUNK_ENCODING_METADATA]: encoding },
          }),
        );
        return hash;
      },
      damageChunk: async (accountId, hash) => {
        const key = chunkKeyOf(accountId, hash);
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        bytes.writeUInt8((bytes.readUInt8(100) ^ 0x01) & 0xff, 100);
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            Metadata: object.Metadata,
          }),
        );
      },
    });
  },
});
