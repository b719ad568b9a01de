import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll } from 'vitest';
import { S3ImageStore } from '../../adapters/aws/s3-image-store.ts';
import { S3ImageTransfer } from '../../adapters/aws/s3-image-transfer.ts';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import { MemoryImageStore } from '../../adapters/memory/memory-image-store.ts';
import { MemoryImageTransfer } from '../../adapters/memory/memory-image-transfer.ts';
import { PerRegionStores } from '../../adapters/node/per-region-stores.ts';
import { serializeManifest } from '../../agent/protocol/manifest.ts';
import { chunkKeyOf, manifestKeyOf } from '../../blueprint/facts.ts';
import { aManifest } from '../support/records.ts';
import { describeContract } from './describe-contract.ts';
import { imageTransferContract } from './image-transfer.contract.ts';

const REGIONS = ['fra1', 'nyc1'];

describeContract('ImageTransfer', imageTransferContract, {
  memory: () => {
    const clock = new ManualClock(new Date());
    const stores = new PerRegionStores(REGIONS, () => new MemoryImageStore({ clock }));
    const source = stores.in('fra1');
    return {
      transfer: new MemoryImageTransfer(stores),
      source,
      target: stores.in('nyc1'),
      putChunks: async (accountId, hashes) => {
        source.putChunks(accountId, hashes);
      },
      putImage: async (accountId, snapshotId, image) => {
        source.putImage(accountId, snapshotId, {
          diskBytes: image.diskBytes,
          usedBytes: image.chunkHashes.length * 4 * 1024 * 1024,
          chunkHashes: image.chunkHashes,
          chunkStoredBytes: image.chunkStoredBytes,
        });
      },
    };
  },
  s3: ({ client, bucket }) => {
    // The shared setup made one bucket: it is fra1's, and nyc1's is made here.
    const buckets: Record<string, string> = { fra1: bucket, nyc1: `${bucket}-nyc1` };
    beforeAll(async () => {
      await client.send(new CreateBucketCommand({ Bucket: buckets.nyc1 })).catch((error: Error) => {
        if (error.name !== 'BucketAlreadyOwnedByYou') throw error;
      });
    });
    const put = (key: string, body: string) =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const bucketOf = (region: string) => buckets[region] ?? '';
    return () => ({
      transfer: new S3ImageTransfer({ client, bucketOf }),
      source: new S3ImageStore({ client, bucket }),
      target: new S3ImageStore({ client, bucket: bucketOf('nyc1') }),
      putChunks: async (accountId, hashes) => {
        for (const hash of hashes) await put(chunkKeyOf(accountId, hash), `chunk ${hash}`);
      },
      putImage: async (accountId, snapshotId, image) => {
        const manifest = aManifest(
          { accountId, snapshotId, diskBytes: image.diskBytes },
          image.chunkHashes,
        );
        const chunks = manifest.chunks.map(
          ([index, hash]) => [index, hash, image.chunkStoredBytes?.[hash] ?? 0] as const,
        );
        await put(manifestKeyOf(accountId, snapshotId), serializeManifest({ ...manifest, chunks }));
      },
    });
  },
});
