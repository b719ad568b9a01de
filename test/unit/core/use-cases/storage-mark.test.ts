import { describe, expect, it } from 'vitest';
import type { MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import { MarkTallyMissingError } from '../../../../core/storage/storage-errors.ts';
import { finishChunkSweep } from '../../../../core/use-cases/finish-chunk-sweep.ts';
import { registerSnapshotCopy } from '../../../../core/use-cases/finish-snapshot-copy.ts';
import { finishStorageMark } from '../../../../core/use-cases/finish-storage-mark.ts';
import { markStoragePage } from '../../../../core/use-cases/mark-storage-page.ts';
import { registerSnapshot } from '../../../../core/use-cases/register-snapshot.ts';
import { requestScheduledStorageMarks } from '../../../../core/use-cases/request-scheduled-storage-marks.ts';
import { requestSnapshotCopy } from '../../../../core/use-cases/request-snapshot-copy.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { requestStorageMark } from '../../../../core/use-cases/request-storage-mark.ts';
import {
  type CopyStepInput,
  copySnapshotChunks,
  planSnapshotCopy,
} from '../../../../core/use-cases/transfer-snapshot-copy.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { storagePass } from './support/storage-pass.ts';
import { aFailedSnapshot, anActiveSlice, anUploadingSnapshot } from './support/use-case-steps.ts';

/** Stored sizes of the chunks the tests' images name. */
const STORED: Readonly<Record<string, number>> = { a: 1_000, b: 2_000, c: 4_000, d: 8_000 };

/** A snapshot of `slice` taken to the end, its image naming `chunkHashes` with STORED sizes. */
async function aSnapshotOf(
  ports: MemoryPorts,
  slice: Slice,
  chunkHashes: readonly string[],
  usedBytes = 10_000,
): Promise<Snapshot> {
  const { step } = await anUploadingSnapshot(ports, slice, false);
  ports.images.in('fra1').putChunks(step.accountId, chunkHashes);
  ports.images.in('fra1').putImage(step.accountId, step.snapshotId, {
    diskBytes: slice.diskBytes,
    usedBytes,
    chunkHashes,
    chunkStoredBytes: STORED,
  });
  return registerSnapshot(ports, step);
}

/** Copies the snapshot to nyc1: the request, answered with the copy's step ids. */
async function copyTo(ports: MemoryPorts, snapshotId: string) {
  const { snapshot, operation } = await requestSnapshotCopy(ports, {
    accountId: ACCOUNT,
    snapshotId,
    region: 'nyc1',
  });
  return { step: { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation.id } };
}

/** The copy's workflow, every step to the copy available. */
async function copyToTheEnd(ports: MemoryPorts, step: CopyStepInput) {
  let transfer = await planSnapshotCopy(ports, step);
  while (!transfer.done) transfer = await copySnapshotChunks(ports, { ...step, transfer });
  await registerSnapshotCopy(ports, step);
}

/** Runs a whole pass of the account as the storage-mark workflow does, page after page. */
async function markPass(ports: MemoryPorts, markId?: string) {
  return storagePass(ports, ACCOUNT, markId);
}

describe('the storage mark pass', () => {
  const given = givenPorts(async (ports) => {
    const web = await anActiveSlice(ports, { name: 'web' });
    const db = await anActiveSlice(ports, { name: 'db' });
    const first = await aSnapshotOf(ports, web, ['a', 'b']);
    const second = await aSnapshotOf(ports, web, ['b', 'c', 'c']);
    const third = await aSnapshotOf(ports, db, ['d']);
    return { web, db, first, second, third };
  });

  it("counts a copy's chunks in its own region: what deleting either one frees is its own", async () => {
    const { ports, third } = given;
    const { step } = await copyTo(ports, third.id);
    await copyToTheEnd(ports, step);

    const { storage } = await markPass(ports);

    // The copy names d as the original does, but nyc1 stores its own d.
    expect(storage?.snapshots[third.id]).toEqual({ storedBytes: 8_000, exclusiveBytes: 8_000 });
    expect(storage?.snapshots[step.snapshotId]).toEqual({
      storedBytes: 8_000,
      exclusiveBytes: 8_000,
    });
    expect(storage?.storedBytes).toBe(1_000 + 2_000 + 4_000 + 8_000 + 8_000);
  });

  it("gives each live snapshot its stored and exclusive bytes, and the account's totals", async () => {
    const { ports, first, second, third } = given;

    const { storage } = await markPass(ports);

    expect(storage?.snapshots).toEqual({
      [first.id]: { storedBytes: 3_000, exclusiveBytes: 1_000 },
      [second.id]: { storedBytes: 6_000, exclusiveBytes: 4_000 },
      [third.id]: { storedBytes: 8_000, exclusiveBytes: 8_000 },
    });
    expect(storage).toMatchObject({
      logicalBytes: 30_000,
      storedBytes: 15_000,
      billedBytes: 30_000,
      asOf: ports.clock.now().toISOString(),
    });
  });

  it('counts snapshots in the recycle bin, on a page of their own, but does not bill them', async () => {
    const { ports, first, second } = given;
    await requestSnapshotDeletion(ports, { accountId: ACCOUNT, snapshotId: second.id });

    const { pages, storage } = await markPass(ports);

    expect(pages).toBe(2);
    expect(storage?.snapshots[second.id]).toEqual({ storedBytes: 6_000, exclusiveBytes: 4_000 });
    expect(storage?.snapshots[first.id]).toEqual({ storedBytes: 3_000, exclusiveBytes: 1_000 });
    expect(storage).toMatchObject({ logicalBytes: 30_000, billedBytes: 20_000 });
  });

  it('leaves out failed snapshots and those still uploading, whose chunks no manifest names', async () => {
    const { ports, web, first, second, third } = given;
    await aFailedSnapshot(ports, web, ['e']);
    await anUploadingSnapshot(ports, web, false);
    ports.images.in('fra1').putChunks(ACCOUNT, ['f']);

    const { storage } = await markPass(ports);

    expect(Object.keys(storage?.snapshots ?? {}).sort()).toEqual(
      [first.id, second.id, third.id].sort(),
    );
    expect(storage?.storedBytes).toBe(15_000);
  });

  it("never counts another account's snapshots, nor shows this account's to it", async () => {
    const { ports } = given;

    await markPass(ports);

    expect(await ports.storage.get('acct-other')).toBeNull();
  });

  it('gives each slice what deleting all its snapshots frees', async () => {
    const { ports, web, db } = given;

    const { storage } = await markPass(ports);

    expect(storage?.bySlice).toEqual([
      {
        sliceId: web.id,
        snapshots: 2,
        logicalBytes: 20_000,
        billedBytes: 20_000,
        exclusiveBytes: 7_000,
      },
      {
        sliceId: db.id,
        snapshots: 1,
        logicalBytes: 10_000,
        billedBytes: 10_000,
        exclusiveBytes: 8_000,
      },
    ]);
  });

  it('marks nothing twice when a page is retried, and deletes its tally when it finishes', async () => {
    const { ports, first } = given;
    const markId = ports.ids.next('mark');
    const page = await markStoragePage(ports, { accountId: ACCOUNT, markId });
    const again = await markStoragePage(ports, {
      ...page,
      position: { phase: 'listed', cursor: null },
    });

    await finishStorageMark(ports, { accountId: ACCOUNT, markId, asOf: again.asOf });
    const retried = await finishStorageMark(ports, {
      accountId: ACCOUNT,
      markId,
      asOf: again.asOf,
    });
    await finishChunkSweep(ports, { accountId: ACCOUNT, markId });

    const storage = await ports.storage.get(ACCOUNT);
    expect(storage?.snapshots[first.id]?.exclusiveBytes).toBe(1_000);
    expect(storage?.logicalBytes).toBe(30_000);
    expect(retried.storedBytes).toBe(15_000);
    expect(ports.markTallies.size).toBe(0);
  });

  it('keeps the figures of a pass that began later when an earlier one finishes after it', async () => {
    const { ports, web } = given;
    const earlier = ports.ids.next('mark');
    const begun = await markStoragePage(ports, { accountId: ACCOUNT, markId: earlier });
    ports.clock.advanceSeconds(60);
    await aSnapshotOf(ports, web, ['a']);
    const later = await markPass(ports);

    await finishStorageMark(ports, { accountId: ACCOUNT, markId: earlier, asOf: begun.asOf });

    expect(await ports.storage.get(ACCOUNT)).toEqual(later.storage);
    expect(later.storage?.logicalBytes).toBe(40_000);
  });

  it('fails a page whose pass left no tally, rather than count from nothing', async () => {
    const { ports } = given;

    await expect(
      markStoragePage(ports, {
        accountId: ACCOUNT,
        markId: ports.ids.next('mark'),
        asOf: ports.clock.now().toISOString(),
        position: { phase: 'recycled', cursor: null },
      }),
    ).rejects.toBeInstanceOf(MarkTallyMissingError);
  });

  it('deletes the tallies that failed passes left, once they are older than a pass may run', async () => {
    const { ports } = given;
    await markStoragePage(ports, { accountId: ACCOUNT, markId: ports.ids.next('mark') });
    ports.clock.advanceSeconds(2 * 3_600);

    await markPass(ports);

    expect(ports.markTallies.size).toBe(0);
  });
});

describe('requestStorageMark', () => {
  const given = givenPorts();

  it('starts one pass while one is pending, and another once it has begun', async () => {
    const { ports } = given;

    const firstStarted = await requestStorageMark(ports, { accountId: ACCOUNT });
    const coalesced = await requestStorageMark(ports, { accountId: ACCOUNT });
    const [pending] = ports.workflows.storageMarks;
    await markStoragePage(ports, { accountId: ACCOUNT, markId: pending?.markId ?? '' });
    const afterBegun = await requestStorageMark(ports, { accountId: ACCOUNT });

    expect([firstStarted, coalesced, afterBegun]).toEqual([true, false, true]);
    expect(ports.workflows.storageMarks).toHaveLength(2);
  });

  it('starts a pass again when the pending one never began within its time', async () => {
    const { ports } = given;
    await requestStorageMark(ports, { accountId: ACCOUNT });
    ports.clock.advanceSeconds(15 * 60);

    expect(await requestStorageMark(ports, { accountId: ACCOUNT })).toBe(true);
  });
});

describe('requestScheduledStorageMarks', () => {
  const given = givenPorts();

  it('starts a pass for every enrolled account that has none pending', async () => {
    const { ports } = given;
    await requestStorageMark(ports, { accountId: 'acct-a' });
    await requestStorageMark(ports, { accountId: 'acct-b' });
    const [forA] = ports.workflows.storageMarks;
    await ports.storage.markBegun(forA?.accountId ?? '');

    const report = await requestScheduledStorageMarks(ports);

    expect(report).toEqual({ accounts: 2, started: 1, failed: [] });
    expect(ports.workflows.storageMarks.map((each) => each.accountId)).toEqual([
      'acct-a',
      'acct-b',
      'acct-a',
    ]);
  });
});
