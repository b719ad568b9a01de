import { randomBytes, randomUUID } from 'node:crypto';
import { statSync, truncateSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { diskPathOf } from '../../../agent/disk/file-driver.ts';
import { CHUNK_SIZE } from '../../../agent/image/chunk-bytes.ts';
import { expectSameContent, GiB, MiB, patterned, writeAt } from './support/disks.ts';
import { createPipeline, type Pipeline } from './support/pipeline.ts';

let pipeline: Pipeline;
beforeAll(() => {
  pipeline = createPipeline(inject('s3Endpoint'), inject('imagesBucket'));
});
afterAll(() => pipeline.close());

/** Creates a disk, lets `fill` write into it, snapshots it, restores it onto a new slice. */
async function roundTrip(sizeBytes: number, fill: (path: string) => void) {
  const account = `acc_${randomUUID().slice(0, 8)}`;
  const source = `slc_${randomUUID().slice(0, 8)}`;
  const copy = `slc_${randomUUID().slice(0, 8)}`;
  await pipeline.driver.createDisk(source, sizeBytes);
  const sourcePath = diskPathOf(pipeline.dataDir, source);
  fill(sourcePath);
  const upload = await pipeline.snapshot(source, account, 'snp_1');
  const restored = await pipeline.restore(copy, account, 'snp_1');
  const copyPath = diskPathOf(pipeline.dataDir, copy);
  await expectSameContent(sourcePath, copyPath);
  return { upload, restored, sourcePath, copyPath };
}

describe('image pipeline round trips', () => {
  it('restores an empty disk as an empty disk, storing nothing', async () => {
    const { upload, copyPath } = await roundTrip(64 * MiB, () => undefined);

    expect(upload).toMatchObject({
      usedBytes: 0,
      chunkCount: 0,
      uploadedChunks: 0,
      storedBytes: 0,
    });
    expect(statSync(copyPath).blocks).toBe(0);
  });

  it('restores a disk full of random bytes', async () => {
    const { upload } = await roundTrip(24 * MiB, (path) =>
      writeAt(path, [[0, randomBytes(24 * MiB)]]),
    );

    expect(upload).toMatchObject({ usedBytes: 24 * MiB, chunkCount: 6, uploadedChunks: 6 });
    // Random bytes do not shrink, so they are stored raw and no bigger than they are.
    expect(upload.storedBytes).toBe(24 * MiB);
  });

  it('restores a sparse disk with data at its first and last byte, leaving the rest holes', async () => {
    const size = GiB;
    const { upload, copyPath } = await roundTrip(size, (path) =>
      writeAt(path, [
        [0, Buffer.from([0x11])],
        [size - 1, Buffer.from([0x22])],
      ]),
    );

    expect(upload).toMatchObject({ chunkCount: 2, usedBytes: 2 * CHUNK_SIZE });
    expect(statSync(copyPath).blocks * 512).toBeLessThanOrEqual(2 * 4096);
  });

  it('restores a disk whose size is not a multiple of the chunk size', async () => {
    const size = 10 * MiB + 12345;
    const { upload } = await roundTrip(size, (path) =>
      writeAt(path, [
        [3 * MiB, randomBytes(MiB)],
        [size - 5000, randomBytes(5000)],
      ]),
    );

    // Chunk 0 and the short last chunk hold data; chunk 1 is a hole.
    expect(upload).toMatchObject({
      chunkCount: 2,
      usedBytes: CHUNK_SIZE + (size - 2 * CHUNK_SIZE),
    });
    expect(upload.diskBytes).toBe(size);
  });

  it('restores a 16 GiB sparse disk holding 64 MiB quickly, never reading its holes', async () => {
    const size = 16 * GiB;
    const started = Date.now();
    const { upload, copyPath } = await roundTrip(size, (path) =>
      writeAt(
        path,
        Array.from(
          { length: 16 },
          (_, i) => [i * GiB + (i % 3) * MiB, randomBytes(4 * MiB)] as const,
        ),
      ),
    );

    expect(upload.diskBytes).toBe(size);
    expect(upload.usedBytes).toBeLessThanOrEqual(32 * CHUNK_SIZE);
    expect(statSync(copyPath).blocks * 512).toBeLessThan(80 * MiB);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('stores compressible chunks as zstd and restores them', async () => {
    const { upload } = await roundTrip(4 * CHUNK_SIZE, (path) =>
      writeAt(path, [
        [0, patterned(CHUNK_SIZE, 1)],
        [CHUNK_SIZE, patterned(CHUNK_SIZE, 2)],
        [3 * CHUNK_SIZE, randomBytes(CHUNK_SIZE)],
      ]),
    );

    expect(upload).toMatchObject({ chunkCount: 3, usedBytes: 3 * CHUNK_SIZE });
    // Two text chunks shrink to almost nothing; the random one is stored as it is.
    expect(upload.storedBytes).toBeGreaterThan(CHUNK_SIZE);
    expect(upload.storedBytes).toBeLessThan(CHUNK_SIZE + CHUNK_SIZE / 10);
  });

  it('stores identical chunks of one disk once', async () => {
    const same = randomBytes(CHUNK_SIZE);
    const { upload } = await roundTrip(5 * CHUNK_SIZE, (path) =>
      writeAt(path, [
        [0, same],
        [2 * CHUNK_SIZE, same],
        [4 * CHUNK_SIZE, same],
      ]),
    );

    expect(upload).toMatchObject({ chunkCount: 3, uploadedChunks: 1, reusedChunks: 2 });
    expect(upload.chunkHashes).toHaveLength(1);
    expect(upload.storedBytes).toBe(CHUNK_SIZE);
  });

  it('restores onto a larger disk, keeping the larger size', async () => {
    const account = `acc_${randomUUID().slice(0, 8)}`;
    await pipeline.driver.createDisk('slc_small', 8 * MiB);
    writeAt(diskPathOf(pipeline.dataDir, 'slc_small'), [[0, randomBytes(MiB)]]);
    await pipeline.snapshot('slc_small', account, 'snp_s');
    await pipeline.driver.createDisk('slc_large', 16 * MiB);

    const result = await pipeline.restore('slc_large', account, 'snp_s');
    truncateSync(diskPathOf(pipeline.dataDir, 'slc_large'), 8 * MiB);

    expect(result).toMatchObject({ diskBytes: 16 * MiB, imageDiskBytes: 8 * MiB });
    await expectSameContent(
      diskPathOf(pipeline.dataDir, 'slc_small'),
      diskPathOf(pipeline.dataDir, 'slc_large'),
    );
  });
});

describe('incremental snapshots', () => {
  const chunks = 100;
  const account = `acc_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await pipeline.driver.createDisk('slc_inc', chunks * CHUNK_SIZE);
    writeAt(
      diskPathOf(pipeline.dataDir, 'slc_inc'),
      Array.from({ length: chunks }, (_, i) => [i * CHUNK_SIZE, patterned(CHUNK_SIZE, i)] as const),
    );
    await pipeline.snapshot('slc_inc', account, 'snp_full');
    // 1% of the chunks change.
    writeAt(diskPathOf(pipeline.dataDir, 'slc_inc'), [[42 * CHUNK_SIZE + 100, randomBytes(64)]]);
  });

  it('uploads only the changed chunks when given the previous snapshot', async () => {
    const upload = await pipeline.snapshot('slc_inc', account, 'snp_inc', ['snp_full']);

    expect(upload).toMatchObject({
      chunkCount: chunks,
      uploadedChunks: 1,
      reusedChunks: chunks - 1,
    });
  });

  it('uploads only the changed chunks when the store has to be asked', async () => {
    const upload = await pipeline.snapshot('slc_inc', account, 'snp_inc2');

    expect(upload).toMatchObject({ uploadedChunks: 0, reusedChunks: chunks });
  });

  it('restores the incremental snapshot byte for byte', async () => {
    await pipeline.restore('slc_inc_copy', account, 'snp_inc');

    await expectSameContent(
      diskPathOf(pipeline.dataDir, 'slc_inc'),
      diskPathOf(pipeline.dataDir, 'slc_inc_copy'),
    );
  });
});
