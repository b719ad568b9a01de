import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  SnapshotBeingDeletedError,
  SnapshotCorruptError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { completeSnapshotVerification } from '../../../../core/use-cases/complete-snapshot-verification.ts';
import { createSlice } from '../../../../core/use-cases/create-slice.ts';
import { failSnapshotVerification } from '../../../../core/use-cases/fail-snapshot-verification.ts';
import { requestRestore } from '../../../../core/use-cases/request-restore.ts';
import { requestSnapshotVerification } from '../../../../core/use-cases/request-snapshot-verification.ts';
import {
  CHUNKS_PER_STEP,
  type VerificationProgress,
  verifySnapshotChunks,
} from '../../../../core/use-cases/verify-snapshot-chunks.ts';
import {
  ACCOUNT,
  anAvailableSnapshot,
  aSlice,
  aSnapshot,
  deletionRequested,
} from '../../../support/records.ts';
import {
  aRunningOperation,
  expectOperationFailed,
  expectOperationSucceeded,
} from './support/outcomes.ts';

const CHUNK = 4 * 1024 * 1024;
const NOW = '2025-03-02T09:00:00.000Z';

let ports: MemoryPorts;

beforeEach(() => {
  ports = createMemoryPorts({ now: NOW });
});

const hashOf = (n: number) => createHash('sha256').update(`chunk ${n}`).digest('hex');

/** An available snapshot whose image names `chunkCount` distinct chunks, all stored. */
async function aStoredSnapshot(chunkCount: number, overrides: Partial<Snapshot> = {}) {
  const snapshot = anAvailableSnapshot({ diskBytes: 1024 * CHUNK, ...overrides });
  await ports.snapshots.create(snapshot);
  const hashes = Array.from({ length: chunkCount }, (_, n) => hashOf(n));
  ports.images.in('fra1').putChunks(snapshot.accountId, hashes);
  ports.images.in('fra1').putImage(snapshot.accountId, snapshot.id, {
    diskBytes: snapshot.diskBytes,
    usedBytes: chunkCount * CHUNK,
    chunkHashes: hashes,
  });
  return { snapshot, hashes };
}

async function aVerification(snapshot: Snapshot) {
  return requestSnapshotVerification(ports, { accountId: ACCOUNT, snapshotId: snapshot.id });
}

/** Every step of the workflow's loop, as the state machine runs them, until done. */
async function verifyAll(snapshot: Snapshot, operationId: string) {
  const steps: VerificationProgress[] = [];
  let progress: VerificationProgress = {
    next: 0,
    damagedChunks: 0,
    manifestDamaged: false,
    damagedHashes: [],
    done: false,
  };
  while (!progress.done) {
    progress = await verifySnapshotChunks(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      operationId,
      next: progress.next,
      damagedChunks: progress.damagedChunks,
    });
    steps.push(progress);
  }
  return steps;
}

describe('requestSnapshotVerification', () => {
  it('starts a running snapshot.verify operation and its verify-snapshot workflow', async () => {
    const { snapshot } = await aStoredSnapshot(3);

    const operation = await aVerification(snapshot);

    expect(operation).toMatchObject(aRunningOperation('snapshot.verify', 'snapshot', snapshot.id));
    expect(ports.workflows.started).toEqual([
      {
        workflow: 'verify-snapshot',
        input: { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation.id },
      },
    ]);
  });

  it('verifies a snapshot in the recycle bin too: its image is kept', async () => {
    const { snapshot } = await aStoredSnapshot(1, { status: 'recycled' });

    await expect(aVerification(snapshot)).resolves.toMatchObject({ status: 'running' });
  });

  it('refuses a snapshot of another account, one not taken yet and one being deleted', async () => {
    const { snapshot: theirs } = await aStoredSnapshot(1, { accountId: 'acct-2' });
    const pending = aSnapshot();
    await ports.snapshots.create(pending);
    const { snapshot: deleting } = await aStoredSnapshot(1);
    await ports.snapshots.update(deleting, deletionRequested(deleting, NOW));

    await expect(aVerification(theirs)).rejects.toBeInstanceOf(SnapshotNotFoundError);
    await expect(aVerification(pending)).rejects.toBeInstanceOf(SnapshotNotAvailableError);
    await expect(aVerification(deleting)).rejects.toBeInstanceOf(SnapshotBeingDeletedError);
    expect(ports.workflows.started).toEqual([]);
  });
});

describe('verifySnapshotChunks', () => {
  it('reads the distinct chunks back in pages, and shows the bytes read on the operation', async () => {
    const { snapshot } = await aStoredSnapshot(CHUNKS_PER_STEP + 6);
    const operation = await aVerification(snapshot);

    const steps = await verifyAll(snapshot, operation.id);

    expect(steps.map((step) => [step.next, step.done])).toEqual([
      [CHUNKS_PER_STEP, false],
      [CHUNKS_PER_STEP + 6, true],
    ]);
    expect(steps.at(-1)).toMatchObject({ damagedChunks: 0, manifestDamaged: false });
    expect((await ports.operations.get(ACCOUNT, operation.id))?.progress).toMatchObject({
      bytesDone: (CHUNKS_PER_STEP + 6) * CHUNK,
      bytesTotal: (CHUNKS_PER_STEP + 6) * CHUNK,
    });
  });

  it('counts the chunks that are missing or no longer match their hash, in any page', async () => {
    const { snapshot, hashes } = await aStoredSnapshot(CHUNKS_PER_STEP + 6);
    const flipped = hashes[5] ?? '';
    const missing = hashes[CHUNKS_PER_STEP + 2] ?? '';
    ports.images.in('fra1').damageChunk(ACCOUNT, flipped);
    await ports.images.in('fra1').deleteObjects([`${ACCOUNT}/chunks/${missing}`]);
    const operation = await aVerification(snapshot);

    const steps = await verifyAll(snapshot, operation.id);

    expect(steps.at(-1)?.damagedChunks).toBe(2);
    expect(steps.flatMap((step) => step.damagedHashes).sort()).toEqual([flipped, missing].sort());
  });

  it('reads a chunk that several indexes name once', async () => {
    const snapshot = anAvailableSnapshot({ diskBytes: 16 * CHUNK });
    await ports.snapshots.create(snapshot);
    ports.images.in('fra1').putChunks(ACCOUNT, [hashOf(1)]);
    ports.images.in('fra1').putImage(ACCOUNT, snapshot.id, {
      diskBytes: snapshot.diskBytes,
      usedBytes: 3 * CHUNK,
      chunkHashes: [hashOf(1), hashOf(1), hashOf(1)],
    });
    const operation = await aVerification(snapshot);

    const steps = await verifyAll(snapshot, operation.id);

    expect(steps).toEqual([
      { next: 1, damagedChunks: 0, manifestDamaged: false, damagedHashes: [], done: true },
    ]);
  });

  it('ends at once with the manifest damaged when it fails its checksum or is gone', async () => {
    const { snapshot } = await aStoredSnapshot(3);
    ports.images.in('fra1').putImage(ACCOUNT, snapshot.id, 'corrupt');
    const { snapshot: bare } = await aStoredSnapshot(3);
    await ports.images.in('fra1').deleteManifest(ACCOUNT, bare.id);

    const corrupt = await verifyAll(snapshot, (await aVerification(snapshot)).id);
    const gone = await verifyAll(bare, (await aVerification(bare)).id);

    expect(corrupt).toEqual([
      { next: 0, damagedChunks: 0, manifestDamaged: true, damagedHashes: [], done: true },
    ]);
    expect(gone.at(-1)).toMatchObject({ manifestDamaged: true, done: true });
  });
});

describe('completeSnapshotVerification', () => {
  it('marks a whole image ok with the time, succeeds the operation and tells no one', async () => {
    const { snapshot } = await aStoredSnapshot(2);
    const operation = await aVerification(snapshot);

    await completeSnapshotVerification(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      operationId: operation.id,
      damagedChunks: 0,
      manifestDamaged: false,
    });

    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      verifyState: 'ok',
      verifiedAt: NOW,
    });
    await expectOperationSucceeded(ports, operation.id);
    expect(ports.events.published.map((event) => event.detailType)).toEqual([]);
  });

  it('marks a damaged image corrupt and emits Snapshot Corrupt once, however often it runs', async () => {
    const { snapshot } = await aStoredSnapshot(2);
    const operation = await aVerification(snapshot);
    const input = {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      operationId: operation.id,
      damagedChunks: 1,
      manifestDamaged: false,
    };

    await completeSnapshotVerification(ports, input);
    await completeSnapshotVerification(ports, input);

    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      verifyState: 'corrupt',
      verifiedAt: NOW,
    });
    expect(ports.events.published).toEqual([
      {
        detailType: EVENT.snapshotCorrupt,
        detail: {
          accountId: ACCOUNT,
          snapshotId: snapshot.id,
          sliceId: snapshot.sliceId,
          operationId: operation.id,
          damagedChunks: 1,
          manifestDamaged: false,
        },
      },
    ]);
  });

  it('leaves a snapshot whose deletion began meanwhile as it is', async () => {
    const { snapshot } = await aStoredSnapshot(2);
    const operation = await aVerification(snapshot);
    await ports.snapshots.update(snapshot, deletionRequested(snapshot, NOW));

    await expect(
      completeSnapshotVerification(ports, {
        accountId: ACCOUNT,
        snapshotId: snapshot.id,
        operationId: operation.id,
        damagedChunks: 1,
        manifestDamaged: false,
      }),
    ).rejects.toBeInstanceOf(SnapshotBeingDeletedError);
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      verifyState: 'unverified',
    });
  });
});

describe('failSnapshotVerification', () => {
  it('fails the operation with the code of the error and leaves the snapshot unmarked', async () => {
    const { snapshot } = await aStoredSnapshot(2);
    const operation = await aVerification(snapshot);

    const failure = await failSnapshotVerification(ports, {
      accountId: ACCOUNT,
      operationId: operation.id,
      error: { Error: 'SnapshotBeingDeletedError', Cause: '{}' },
    });

    expect(failure.code).toBe('SNAPSHOT_BEING_DELETED');
    await expectOperationFailed(ports, operation.id, { code: 'SNAPSHOT_BEING_DELETED' });
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      verifyState: 'unverified',
    });
  });
});

describe('a corrupt snapshot', () => {
  it('is refused by a restore and by a new slice, with SNAPSHOT_CORRUPT, before anything starts', async () => {
    const slice = aSlice();
    await ports.slices.create(slice);
    const { snapshot } = await aStoredSnapshot(1, {
      sliceId: slice.id,
      diskBytes: slice.diskBytes,
      verifyState: 'corrupt',
    });

    await expect(
      requestRestore(ports, { accountId: ACCOUNT, snapshotId: snapshot.id }),
    ).rejects.toBeInstanceOf(SnapshotCorruptError);
    await expect(
      createSlice(ports, {
        accountId: ACCOUNT,
        name: 'from-corrupt',
        region: 'fra1',
        diskGB: 100,
        snapshotId: snapshot.id,
      }),
    ).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    expect(ports.workflows.started).toEqual([]);
    expect((await ports.slices.get(ACCOUNT, slice.id))?.lock).toBeNull();
  });
});
