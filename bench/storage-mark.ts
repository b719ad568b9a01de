import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { boundedAll } from '../adapters/aws/bounded-all.ts';
import { DynamoSnapshotRepository } from '../adapters/aws/dynamo-snapshot-repository.ts';
import { DynamoStorageRepository } from '../adapters/aws/dynamo-storage-repository.ts';
import { S3CollectionStore } from '../adapters/aws/s3-collection-store.ts';
import { S3ImageStore } from '../adapters/aws/s3-image-store.ts';
import { S3MarkTallyStore } from '../adapters/aws/s3-mark-tally-store.ts';
import { ManualClock } from '../adapters/memory/manual-clock.ts';
import { ConfiguredRegionCatalog } from '../adapters/node/configured-region-catalog.ts';
import { HmacSigner } from '../adapters/node/hmac-signer.ts';
import { PerRegionStores } from '../adapters/node/per-region-stores.ts';
import { MANIFEST_FORMAT, serializeManifest } from '../agent/protocol/manifest.ts';
import {
  CHUNK_GRACE_SECONDS,
  chunkKeyOf,
  LOCAL_TABLE_NAME,
  manifestKeyOf,
} from '../blueprint/facts.ts';
import { type Snapshot, startSnapshotDeletion } from '../core/snapshots/snapshot.ts';
import { finishChunkSweep } from '../core/use-cases/finish-chunk-sweep.ts';
import { finishStorageMark } from '../core/use-cases/finish-storage-mark.ts';
import { markStoragePage } from '../core/use-cases/mark-storage-page.ts';
import { publishChunkSweep } from '../core/use-cases/publish-chunk-sweep.ts';
import { sweepChunkPages } from '../core/use-cases/sweep-chunk-pages.ts';
import { createTable, localDynamoClient, startDynamoDb } from '../local/dynamodb.ts';
import { freePort } from '../local/net.ts';
import { localS3Config, startS3 } from '../local/s3.ts';
import { availableSnapshot } from './available-snapshot.ts';
import type { BenchRow, BenchSuite } from './bench-row.ts';

const SUITE = 'storage-mark';
const BUCKET = 'bench-storage-mark';
const ACCOUNT = 'acct-bench-storage';
const REGION = { id: 'fra1', name: 'Frankfurt 1' };
const SNAPSHOTS = 200;
const CHUNKS = 256;
const SLICES = 4;
/** Chunks of a slice's disk that change between two of its snapshots. */
const CHANGED_PER_SNAPSHOT = Math.round(CHUNKS / 10);
/** Snapshots purged (deleted for good) before the pass, which it must leave out. */
const PURGED = SNAPSHOTS / 10;
const CHUNK_SIZE = 4 * 1024 * 1024;

/** A small deterministic generator, so every run marks the same account. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

function slicesId(index: number): string {
  return `slc_01JNZ5Y1Q0000000000000S${String(index).padStart(3, '0')}`;
}

function snapshotId(index: number): string {
  return `snp_01JNZ5Y1Q000000000000${String(index).padStart(5, '0')}`;
}

/** An available snapshot record of slice `sliceIndex`, taken a minute after the one before. */
function seededSnapshot(index: number, sliceIndex: number): Snapshot {
  return availableSnapshot({
    id: snapshotId(index),
    accountId: ACCOUNT,
    name: `s-${index}`,
    slice: {
      id: slicesId(sliceIndex),
      name: `slice-${sliceIndex}`,
      region: REGION.id,
      diskBytes: CHUNKS * CHUNK_SIZE,
      usedBytes: CHUNKS * CHUNK_SIZE,
    },
    powerOff: false,
    now: new Date(Date.parse('2026-03-01T00:00:00.000Z') + index * 60_000).toISOString(),
    sizeBytes: CHUNKS * CHUNK_SIZE,
  });
}

/** A middleware that counts the requests a client sends, by command, into `counts`. */
function requestCounter(counts: Map<string, number>) {
  return <A, R>(next: (args: A) => Promise<R>, context: { commandName?: string }) =>
    async (args: A): Promise<R> => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    };
}

const COUNTER = { step: 'initialize', name: 'benchRequestCounter' } as const;

const describeCounts = (counts: Map<string, number>) =>
  [...counts]
    .sort()
    .map(([name, count]) => `${name.replace(/Command$/, '')} ${count}`)
    .join(', ');

export const storageMarkSuite: BenchSuite = {
  name: SUITE,
  async run(log) {
    const workDir = mkdtempSync(join(tmpdir(), 'bench-storage-mark-'));
    log('starting s3rver and DynamoDB Local');
    const s3 = await startS3({
      port: await freePort(),
      dataDir: join(workDir, 's3'),
      buckets: [BUCKET],
    });
    const dynamo = await startDynamoDb({ port: await freePort() });
    const s3Client = new S3Client(localS3Config(s3.endpoint));
    const documents = DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint), {
      marshallOptions: { removeUndefinedValues: true },
    });
    try {
      await createTable(dynamo.endpoint, LOCAL_TABLE_NAME);
      const table = { client: documents, tableName: LOCAL_TABLE_NAME };
      const snapshots = new DynamoSnapshotRepository({
        ...table,
        cursorSigner: new HmacSigner('bench-storage-mark-cursor-key-0123456789'),
      });
      log(`storing ${SNAPSHOTS} snapshots of ${CHUNKS} chunks, ${PURGED} of them purged`);
      const random = seeded(16);
      const disks = Array.from({ length: SLICES }, (_, slice) =>
        Array.from({ length: CHUNKS }, (_, chunk) => hashOf(`${slice}/${chunk}/0`)),
      );
      const storedSize = new Map<string, number>();
      const sizeOf = (hash: string) => {
        let size = storedSize.get(hash);
        if (size === undefined) {
          size = Math.round(CHUNK_SIZE * (0.25 + 0.75 * random()));
          storedSize.set(hash, size);
        }
        return size;
      };
      const everyChunk = new Set<string>();
      for (const disk of disks) for (const hash of disk) everyChunk.add(hash);
      for (let index = 0; index < SNAPSHOTS; index += 1) {
        const sliceIndex = index % SLICES;
        const disk = disks[sliceIndex] ?? [];
        for (let change = 0; change < CHANGED_PER_SNAPSHOT; change += 1) {
          const chunk = Math.floor(random() * CHUNKS);
          disk[chunk] = hashOf(`${sliceIndex}/${chunk}/${index}`);
          everyChunk.add(disk[chunk] ?? '');
        }
        const snapshot = seededSnapshot(index, sliceIndex);
        const purged = index % (SNAPSHOTS / PURGED) === 0;
        await snapshots.create(
          purged ? startSnapshotDeletion(snapshot, snapshot.createdAt) : snapshot,
        );
        if (purged) continue;
        const manifest = serializeManifest({
          format: MANIFEST_FORMAT,
          accountId: ACCOUNT,
          snapshotId: snapshot.id,
          createdAt: snapshot.createdAt,
          diskBytes: CHUNKS * CHUNK_SIZE,
          chunkSize: CHUNK_SIZE,
          hashAlgorithm: 'blake3',
          usedBytes: CHUNKS * CHUNK_SIZE,
          storedBytes: [...new Set(disk)].reduce((sum, hash) => sum + sizeOf(hash), 0),
          chunkCount: CHUNKS,
          chunks: disk.map((hash, chunk) => [chunk, hash, sizeOf(hash)] as const),
        });
        await s3Client.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: manifestKeyOf(ACCOUNT, snapshot.id),
            Body: manifest,
          }),
        );
      }

      // Chunk objects are stand-ins of a few bytes: the collection reads their keys and times only.
      log(`storing ${everyChunk.size} chunk objects`);
      await boundedAll([...everyChunk], 16, (hash) =>
        s3Client.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: chunkKeyOf(ACCOUNT, hash), Body: hash }),
        ),
      );

      const s3Requests = new Map<string, number>();
      const dynamoRequests = new Map<string, number>();
      s3Client.middlewareStack.add(requestCounter(s3Requests), COUNTER);
      documents.middlewareStack.add(requestCounter(dynamoRequests), COUNTER);
      const clock = new ManualClock(new Date(Date.now() + 60_000));
      const deps = {
        snapshots,
        // The account's snapshots are all in one region, whose store is the bench's bucket.
        regions: new ConfiguredRegionCatalog([REGION]),
        images: new PerRegionStores([REGION.id], () => {
          return new S3ImageStore({ client: s3Client, bucket: BUCKET });
        }),
        markTallies: new S3MarkTallyStore({ client: s3Client, bucket: BUCKET }),
        collection: new PerRegionStores([REGION.id], () => {
          return new S3CollectionStore({ client: s3Client, bucket: BUCKET });
        }),
        storage: new DynamoStorageRepository(table),
        clock,
      };

      /** One pass, step by step as the storage-mark workflow runs it, timed and counted. */
      const pass = async (markId: string) => {
        s3Requests.clear();
        dynamoRequests.clear();
        const started = performance.now();
        await publishChunkSweep(deps, { accountId: ACCOUNT, markId });
        const pageSeconds: number[] = [];
        let pageStart = performance.now();
        let page = await markStoragePage(deps, { accountId: ACCOUNT, markId });
        pageSeconds.push((performance.now() - pageStart) / 1000);
        while (page.position !== null) {
          pageStart = performance.now();
          page = await markStoragePage(deps, { ...page, position: page.position });
          pageSeconds.push((performance.now() - pageStart) / 1000);
        }
        const summary = await finishStorageMark(deps, {
          accountId: ACCOUNT,
          markId,
          asOf: page.asOf,
        });
        const marked = (performance.now() - started) / 1000;
        const input = { accountId: ACCOUNT, markId, asOf: page.asOf };
        let sweepSteps = 1;
        let step = await sweepChunkPages(deps, input);
        while (!step.done) {
          step = await sweepChunkPages(deps, input);
          sweepSteps += 1;
        }
        const swept = await finishChunkSweep(deps, { accountId: ACCOUNT, markId });
        const seconds = (performance.now() - started) / 1000;
        const s3Total = [...s3Requests.values()].reduce((sum, count) => sum + count, 0);
        return {
          seconds,
          note:
            `mark ${marked.toFixed(2)} s in ${pageSeconds.length} page steps ` +
            `(${pageSeconds.map((each) => each.toFixed(2)).join(' / ')} s), sweep ` +
            `${(seconds - marked).toFixed(2)} s in ${sweepSteps} step(s); ${summary.snapshots} live ` +
            `snapshots, ${page.chunksMarked} live of ${everyChunk.size} chunks; ` +
            `${swept.deletedChunks} deleted, ${swept.condemnedChunks} condemned; S3 requests ` +
            `${s3Total} (${describeCounts(s3Requests)}); DynamoDB requests ` +
            `${describeCounts(dynamoRequests)}; s3rver and DynamoDB Local on this machine`,
          summary,
          swept,
        };
      };

      log("a pass that condemns the purged snapshots' own chunks");
      const condemning = await pass('mrk_01JNZ5Y1Q00000000000000001');
      log(
        `${condemning.summary.snapshots} snapshots, ` +
          `${(condemning.summary.logicalBytes / 2 ** 30).toFixed(0)} GiB logical, ` +
          `${(condemning.summary.storedBytes / 2 ** 30).toFixed(1)} GiB stored, ` +
          `${condemning.swept.condemnedChunks} chunks condemned`,
      );
      clock.advanceSeconds(CHUNK_GRACE_SECONDS + 60);
      log('the grace period later, a pass that deletes them');
      const sweeping = await pass('mrk_01JNZ5Y1Q00000000000000002');
      if (sweeping.swept.deletedChunks !== condemning.swept.condemnedChunks) {
        throw new Error(
          `the second pass deleted ${sweeping.swept.deletedChunks} of the ` +
            `${condemning.swept.condemnedChunks} chunks the first condemned`,
        );
      }
      const rows: BenchRow[] = [
        {
          suite: SUITE,
          name: `collection pass, ${SNAPSHOTS} snapshots × ${CHUNKS} chunks, ${PURGED} purged: condemns`,
          seconds: condemning.seconds,
          note: condemning.note,
        },
        {
          suite: SUITE,
          name: 'collection pass after the grace period: deletes what the first condemned',
          seconds: sweeping.seconds,
          note: sweeping.note,
        },
      ];
      return rows;
    } finally {
      s3Client.destroy();
      documents.destroy();
      await dynamo.close();
      await s3.close();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
