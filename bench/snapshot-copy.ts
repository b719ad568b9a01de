import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3CollectionStore } from '../adapters/aws/s3-collection-store.ts';
import { S3ImageStore } from '../adapters/aws/s3-image-store.ts';
import { S3ImageTransfer } from '../adapters/aws/s3-image-transfer.ts';
import { createMemoryPorts } from '../adapters/memory/memory-ports.ts';
import { PerRegionStores } from '../adapters/node/per-region-stores.ts';
import { hashChunk } from '../agent/image/chunk-bytes.ts';
import { MANIFEST_FORMAT, serializeManifest } from '../agent/protocol/manifest.ts';
import { chunkKeyOf, DEFAULT_REGIONS, manifestKeyOf } from '../blueprint/facts.ts';
import type { Ports } from '../core/ports/ports.ts';
import { registerSnapshotCopy } from '../core/use-cases/finish-snapshot-copy.ts';
import { requestSnapshotCopy } from '../core/use-cases/request-snapshot-copy.ts';
import {
  copySnapshotChunks,
  planSnapshotCopy,
  settleSnapshotCopy,
} from '../core/use-cases/transfer-snapshot-copy.ts';
import { freePort } from '../local/net.ts';
import { localS3Config, startS3 } from '../local/s3.ts';
import { availableSnapshot } from './available-snapshot.ts';
import { type BenchRow, type BenchSuite, throughputRow } from './bench-row.ts';

const SUITE = 'snapshot-copy';
const ACCOUNT = 'acct-bench-copy';
const CHUNK_SIZE = 4 * 1024 * 1024;
/** 64 chunks of random data: a 256 MiB image that does not compress, as the worst case. */
const CHUNKS = 64;
/** The second snapshot differs from the first in one chunk of ten. */
const CHANGED = Math.round(CHUNKS / 10);
const bucketOf = (region: string) => `bench-copy-${region}`;

/**
 * Copies of a snapshot from fra1's bucket to nyc1's through the copy workflow's own steps, on
 * s3rver: a first copy, which transfers every chunk, and the copy of a snapshot taken after a
 * tenth of the disk changed, which transfers only those chunks.
 */
export const snapshotCopySuite: BenchSuite = {
  name: SUITE,
  async run(log) {
    const workDir = mkdtempSync(join(tmpdir(), 'bench-snapshot-copy-'));
    const regions = DEFAULT_REGIONS.map((region) => region.id);
    const s3 = await startS3({
      port: await freePort(),
      dataDir: join(workDir, 's3'),
      buckets: regions.map(bucketOf),
    });
    const client = new S3Client(localS3Config(s3.endpoint));
    try {
      const memory = createMemoryPorts();
      const ports: Ports = {
        ...memory,
        images: new PerRegionStores(regions, (region) => {
          return new S3ImageStore({ client, bucket: bucketOf(region) });
        }),
        collection: new PerRegionStores(regions, (region) => {
          return new S3CollectionStore({ client, bucket: bucketOf(region) });
        }),
        imageTransfer: new S3ImageTransfer({ client, bucketOf }),
      };
      const chunks = Array.from({ length: CHUNKS }, () => randomBytes(CHUNK_SIZE));
      const storeSnapshot = async (index: number) => {
        const hashes = chunks.map((bytes) => hashChunk('blake3', bytes));
        const at = memory.clock.now().toISOString();
        const available = availableSnapshot({
          id: `snp_01JNZ5Y1Q0000000000000000${index}`,
          accountId: ACCOUNT,
          name: `copy-source-${index}`,
          slice: {
            id: 'slc_01JNZ5Y1Q000000000000000S1',
            name: 'web',
            region: 'fra1',
            diskBytes: CHUNKS * CHUNK_SIZE,
            usedBytes: CHUNKS * CHUNK_SIZE,
          },
          powerOff: false,
          now: at,
          sizeBytes: CHUNKS * CHUNK_SIZE,
        });
        await Promise.all(
          chunks.map((bytes, chunk) =>
            client.send(
              new PutObjectCommand({
                Bucket: bucketOf('fra1'),
                Key: chunkKeyOf(ACCOUNT, hashes[chunk] ?? ''),
                Body: bytes,
              }),
            ),
          ),
        );
        await client.send(
          new PutObjectCommand({
            Bucket: bucketOf('fra1'),
            Key: manifestKeyOf(ACCOUNT, available.id),
            Body: serializeManifest({
              format: MANIFEST_FORMAT,
              accountId: ACCOUNT,
              snapshotId: available.id,
              createdAt: at,
              diskBytes: CHUNKS * CHUNK_SIZE,
              chunkSize: CHUNK_SIZE,
              hashAlgorithm: 'blake3',
              usedBytes: CHUNKS * CHUNK_SIZE,
              storedBytes: CHUNKS * CHUNK_SIZE,
              chunkCount: CHUNKS,
              chunks: hashes.map((hash, chunk) => [chunk, hash, CHUNK_SIZE] as const),
            }),
          }),
        );
        await memory.snapshots.create(available);
        return available;
      };

      /** One copy to nyc1, step by step as copy-snapshot.asl.json runs it, timed. */
      const copy = async (snapshotId: string) => {
        const started = performance.now();
        const { snapshot, operation } = await requestSnapshotCopy(ports, {
          accountId: ACCOUNT,
          snapshotId,
          region: 'nyc1',
        });
        const step = { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation.id };
        let transfer = await planSnapshotCopy(ports, step);
        const planned = (performance.now() - started) / 1000;
        let steps = 0;
        while (!transfer.done) {
          transfer = await copySnapshotChunks(ports, { ...step, transfer });
          steps += 1;
        }
        if (!(await settleSnapshotCopy(ports, step)).settled) throw new Error('a sweep is running');
        const registered = await registerSnapshotCopy(ports, step);
        if (registered.status !== 'available') throw new Error(`the copy is ${registered.status}`);
        return { seconds: (performance.now() - started) / 1000, planned, steps, transfer };
      };

      log(`storing a snapshot of ${CHUNKS} random chunks (${CHUNKS * 4} MiB) in fra1`);
      const first = await storeSnapshot(1);
      log('copying it to nyc1');
      const full = await copy(first.id);
      for (let chunk = 0; chunk < CHANGED; chunk += 1) {
        chunks[chunk * 10] = randomBytes(CHUNK_SIZE);
      }
      log(`a second snapshot with ${CHANGED} of its chunks changed; copying it to nyc1`);
      const second = await storeSnapshot(2);
      const related = await copy(second.id);
      if (related.transfer.bytesToTransfer !== CHANGED * CHUNK_SIZE) {
        throw new Error(
          `the second copy was to transfer ${related.transfer.bytesToTransfer} bytes, not the ${CHANGED} changed chunks`,
        );
      }
      const note = (run: typeof full) =>
        `${run.transfer.bytesToTransfer / CHUNK_SIZE} of ${CHUNKS} chunks transferred ` +
        `(bytesToTransfer ${run.transfer.bytesToTransfer}), known after ${run.planned.toFixed(2)} s, ` +
        `${run.steps} copy step(s); CopyObject within s3rver on this machine`;
      const rows: BenchRow[] = [
        throughputRow(
          SUITE,
          `first copy to another region, ${CHUNKS * 4} MiB of random chunks`,
          full.transfer.bytesToTransfer,
          full.seconds,
          { note: note(full) },
        ),
        {
          suite: SUITE,
          name: `copy of a related snapshot, ${CHANGED} of ${CHUNKS} chunks changed`,
          seconds: related.seconds,
          note: note(related),
        },
      ];
      return rows;
    } finally {
      client.destroy();
      await s3.close();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
