import { describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import type { FenceTiming } from '../../../../agent/image/chunk-fence.ts';
import { CHUNK_GRACE_SECONDS, chunkKeyOf } from '../../../../blueprint/facts.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import { ImageIncompleteError } from '../../../../core/snapshots/image-errors.ts';
import { endFailedChunkSweep } from '../../../../core/use-cases/finish-chunk-sweep.ts';
import { purgeExpiredSnapshots } from '../../../../core/use-cases/purge-expired-snapshots.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { CollectionUpload, interleavings } from './support/collection-upload.ts';
import { ACCOUNT, givenPorts, NOW } from './support/given-ports.ts';
import { storagePass, storagePassSteps } from './support/storage-pass.ts';
import {
  aFailedSnapshot,
  anActiveSlice,
  anUploadingSnapshot,
  uploadSnapshot,
} from './support/use-case-steps.ts';

async function aSnapshotOf(ports: MemoryPorts, slice: Slice, chunkHashes: readonly string[]) {
  const { step } = await anUploadingSnapshot(ports, slice, false);
  return uploadSnapshot(
    ports,
    step,
    { diskBytes: slice.diskBytes, usedBytes: 10_000 },
    chunkHashes,
  );
}

async function stored(ports: MemoryPorts, hashes: readonly string[]): Promise<string[]> {
  const missing = await ports.images
    .in('fra1')
    .missingObjects(hashes.map((hash) => chunkKeyOf(ACCOUNT, hash)));
  return hashes.filter((hash) => !missing.includes(chunkKeyOf(ACCOUNT, hash)));
}

/** Takes the snapshot out of the recycle bin for good: its record deleting, its manifest gone. */
async function purge(ports: MemoryPorts, snapshotId: string): Promise<void> {
  await requestSnapshotDeletion(ports, { accountId: ACCOUNT, snapshotId });
  ports.clock.advanceSeconds(60 * 86_400);
  await purgeExpiredSnapshots(ports);
  await ports.images.in('fra1').deleteManifest(ACCOUNT, snapshotId);
}

describe('the chunk collection', () => {
  const given = givenPorts(async (ports) => {
    const web = await anActiveSlice(ports, { name: 'web' });
    const first = await aSnapshotOf(ports, web, ['a', 'b']);
    const second = await aSnapshotOf(ports, web, ['b', 'c']);
    return { web, first, second };
  });

  /** Purges the first snapshot and lets a pass condemn `a`, the one chunk no other snapshot names. */
  async function condemnTheFirstSnapshotsChunk(ports: MemoryPorts): Promise<void> {
    await purge(ports, given.first.id);
    await storagePass(ports, ACCOUNT);
  }

  /** A pass begun once the grace period of the condemned chunks is over, its notice published. */
  async function aPassPastTheGrace(ports: MemoryPorts) {
    ports.clock.advanceSeconds(CHUNK_GRACE_SECONDS + 1);
    const pass = storagePassSteps(ports, ACCOUNT);
    await pass.publish();
    return pass;
  }

  it("deletes a purged snapshot's own chunks once condemned for the grace period, and keeps shared ones", async () => {
    const { ports, first } = given;
    await purge(ports, first.id);

    const condemning = await storagePass(ports, ACCOUNT);
    ports.clock.advanceSeconds(CHUNK_GRACE_SECONDS - 60);
    const tooSoon = await storagePass(ports, ACCOUNT);
    const kept = await stored(ports, ['a', 'b', 'c']);
    ports.clock.advanceSeconds(120);
    const sweeping = await storagePass(ports, ACCOUNT);

    expect(condemning.swept).toMatchObject({ deletedChunks: 0, condemnedChunks: 1 });
    expect(tooSoon.swept.deletedChunks).toBe(0);
    expect(kept).toEqual(['a', 'b', 'c']);
    expect(sweeping.swept).toMatchObject({ deletedChunks: 1, condemnedChunks: 0 });
    expect(await stored(ports, ['a', 'b', 'c'])).toEqual(['b', 'c']);
    expect(ports.collection.in('fra1').progressCount).toBe(0);
    expect(ports.markTallies.size).toBe(0);
  });

  it("judges each region's chunks by that region's manifests alone", async () => {
    const { ports } = given;
    // nyc1 holds a copy of a chunk that fra1's snapshots name, but no manifest of nyc1 names it.
    ports.images.in('nyc1').putChunks(ACCOUNT, ['b']);
    const inNyc1 = async () =>
      (await ports.images.in('nyc1').missingObjects([chunkKeyOf(ACCOUNT, 'b')])).length === 0;
    ports.clock.advanceSeconds(60);

    const condemning = await storagePass(ports, ACCOUNT);
    ports.clock.advanceSeconds(CHUNK_GRACE_SECONDS + 1);
    const sweeping = await storagePass(ports, ACCOUNT);

    expect(condemning.swept).toMatchObject({ deletedChunks: 0, condemnedChunks: 1 });
    expect((await ports.collection.in('fra1').readCondemned(ACCOUNT)).size).toBe(0);
    expect(sweeping.swept).toMatchObject({ deletedChunks: 1, condemnedChunks: 0 });
    expect(await inNyc1()).toBe(false);
    expect(await stored(ports, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
  });

  it('keeps the chunks of a manifest left in the store by a snapshot that is not live', async () => {
    const { ports, web } = given;
    const failed = await aFailedSnapshot(ports, web, ['f']);
    ports.images.in('fra1').putImage(ACCOUNT, failed.id, {
      diskBytes: web.diskBytes,
      usedBytes: 1,
      chunkHashes: ['f'],
    });

    await storagePass(ports, ACCOUNT);
    ports.clock.advanceSeconds(CHUNK_GRACE_SECONDS + 1);
    const swept = await storagePass(ports, ACCOUNT);

    expect(swept.swept.deletedChunks).toBe(0);
    expect(await stored(ports, ['f'])).toEqual(['f']);
  });

  it('takes a condemned chunk off the list when a new snapshot names it again', async () => {
    const { ports, web } = given;
    await condemnTheFirstSnapshotsChunk(ports);
    await aSnapshotOf(ports, web, ['a']);

    ports.clock.advanceSeconds(CHUNK_GRACE_SECONDS + 1);
    const marked = await storagePass(ports, ACCOUNT);
    ports.clock.advanceSeconds(CHUNK_GRACE_SECONDS + 1);
    const again = await storagePass(ports, ACCOUNT);

    expect(marked.swept).toMatchObject({ deletedChunks: 0, condemnedChunks: 0 });
    expect(again.swept.deletedChunks).toBe(0);
    expect(await stored(ports, ['a'])).toEqual(['a']);
  });

  it('deletes nothing once the notice is past its deadline, and keeps the chunk condemned', async () => {
    const { ports } = given;
    await condemnTheFirstSnapshotsChunk(ports);
    const pass = await aPassPastTheGrace(ports);

    ports.clock.advanceSeconds(3_600);
    await pass.mark();
    await pass.sweep();
    const late = await pass.finish();

    expect(late).toMatchObject({ deletedChunks: 0, condemnedChunks: 1 });
    expect(await stored(ports, ['a'])).toEqual(['a']);
    expect((await ports.collection.in('fra1').readCondemned(ACCOUNT)).has('a')).toBe(true);
  });

  it('lets one pass at a time sweep: one that overlaps it marks, but deletes and condemns nothing', async () => {
    const { ports } = given;
    await condemnTheFirstSnapshotsChunk(ports);
    const sweeper = await aPassPastTheGrace(ports);

    const overlapping = await storagePass(ports, ACCOUNT);
    const condemnedMeanwhile = await ports.collection.in('fra1').readCondemned(ACCOUNT);
    await sweeper.mark();
    await sweeper.sweep();
    const swept = await sweeper.finish();

    expect(overlapping.swept).toMatchObject({ deletedChunks: 0, condemnedChunks: 0 });
    expect([...condemnedMeanwhile.keys()]).toEqual(['a']);
    expect(swept.deletedChunks).toBe(1);
    expect(await stored(ports, ['a'])).toEqual([]);
  });

  it('ends the notice of a failed pass and keeps the condemned list as it was', async () => {
    const { ports } = given;
    await condemnTheFirstSnapshotsChunk(ports);
    const before = await ports.collection.in('fra1').readCondemned(ACCOUNT);
    const pass = await aPassPastTheGrace(ports);

    await endFailedChunkSweep(ports, { accountId: ACCOUNT, markId: pass.markId });

    expect((await ports.collection.in('fra1').readNotice(ACCOUNT, pass.markId))?.endedAt).toBe(
      ports.clock.now().toISOString(),
    );
    expect(await ports.collection.in('fra1').readCondemned(ACCOUNT)).toEqual(before);
    const claimOfAnother = { accountId: ACCOUNT, markId: 'mark-other', now: NOW, until: NOW };
    expect(await ports.storage.claimSweep(claimOfAnother)).toBe(true);
  });
});

/**
 * Every order of an upload's steps and a pass's steps, each on fresh ports; answers what each
 * order lost of the chunks the upload's manifest names, and what the pass deleted. While the
 * upload waits for a sweep to end, the pass's next steps run, as they would meanwhile.
 */
async function everyOrder(
  prepare: (ports: MemoryPorts) => Promise<{ slice: Slice; hashes: readonly string[] }>,
  options: { fenced: boolean },
) {
  const uploadSteps = ['start', 'write', 'settle', 'commit'] as const;
  const passSteps = ['publish', 'mark', 'sweep', 'finish'] as const;
  const outcomes: { order: string; lost: string[]; deleted: number; incomplete: boolean }[] = [];
  for (const order of interleavings<string>(uploadSteps, passSteps)) {
    const ports = createMemoryPorts({ now: NOW });
    const { slice, hashes } = await prepare(ports);
    const pass = storagePassSteps(ports, ACCOUNT);
    let deleted = 0;
    const pending = [
      () => pass.publish(),
      () => pass.mark(),
      () => pass.sweep(),
      async () => {
        deleted = (await pass.finish()).deletedChunks;
      },
    ];
    const runPassStep = async () => {
      await pending.shift()?.();
      ports.clock.advanceSeconds(1);
    };
    let elapsed = 0;
    const timing: FenceTiming = {
      now: () => elapsed,
      sleep: async (ms) => {
        elapsed += ms;
        await runPassStep();
      },
    };
    const upload = new CollectionUpload(ports, slice, hashes, { timing, fenced: options.fenced });
    // Registering a snapshot checks that every chunk its manifest names is stored.
    let incomplete = false;
    for (const step of order) {
      if ((passSteps as readonly string[]).includes(step)) {
        await runPassStep();
        continue;
      }
      try {
        await upload[step as (typeof uploadSteps)[number]]();
      } catch (error) {
        if (!(error instanceof ImageIncompleteError)) throw error;
        incomplete = true;
      }
      ports.clock.advanceSeconds(1);
    }
    const kept = await stored(ports, hashes);
    outcomes.push({
      order: order.join(' '),
      lost: hashes.filter((hash) => !kept.includes(hash)),
      deleted,
      incomplete,
    });
  }
  return outcomes;
}

describe('an upload during a collection, in every order of their steps', () => {
  /**
   * `x` is stored and named by nothing (a purged snapshot's), condemned long enough for the next
   * pass to delete it; the upload's disk holds `x` again, `z` (a live snapshot's) and new `w`.
   */
  async function condemnedLongAgo(ports: MemoryPorts) {
    const db = await anActiveSlice(ports, { name: 'db' });
    await aSnapshotOf(ports, db, ['y', 'z']);
    ports.images.in('fra1').putChunks(ACCOUNT, ['x']);
    ports.clock.advanceSeconds(60);
    await storagePass(ports, ACCOUNT);
    ports.clock.advanceSeconds(CHUNK_GRACE_SECONDS + 1);
    const slice = await anActiveSlice(ports, { name: 'web' });
    return { slice, hashes: ['x', 'z', 'w'] };
  }

  it('never loses a chunk its manifest names while a sweep deletes condemned chunks', async () => {
    const outcomes = await everyOrder(condemnedLongAgo, { fenced: true });

    expect(outcomes).toHaveLength(70);
    expect(outcomes.filter((outcome) => outcome.lost.length > 0 || outcome.incomplete)).toEqual([]);
    // The sweep did delete x in the orders where the upload came too late to need it.
    expect(outcomes.some((outcome) => outcome.deleted === 1)).toBe(true);
  });

  it('would lose one in some order if uploads ignored the condemned list and the notices', async () => {
    const outcomes = await everyOrder(condemnedLongAgo, { fenced: false });

    const losing = outcomes.filter((outcome) => outcome.lost.includes('x'));
    expect(losing.length).toBeGreaterThan(0);
    // Registration refuses those snapshots rather than keep an image that names a missing chunk.
    expect(losing.every((outcome) => outcome.incomplete)).toBe(true);
  });

  it('never loses a garbage chunk it counted on while a pass condemns it, through the sweeps after', async () => {
    const outcomes = await everyOrder(
      async (ports) => {
        ports.images.in('fra1').putChunks(ACCOUNT, ['g']);
        const slice = await anActiveSlice(ports, { name: 'web' });
        return { slice, hashes: ['g', 'w'] };
      },
      { fenced: true },
    );
    expect(outcomes.filter((outcome) => outcome.lost.length > 0 || outcome.incomplete)).toEqual([]);

    // The passes after the grace period find the upload's manifest and keep its chunks.
    const ports = createMemoryPorts({ now: NOW });
    ports.images.in('fra1').putChunks(ACCOUNT, ['g']);
    const slice = await anActiveSlice(ports, { name: 'web' });
    const timing: FenceTiming = { now: () => 0, sleep: async () => undefined };
    const upload = new CollectionUpload(ports, slice, ['g', 'w'], { timing });
    await upload.start();
    await upload.write();
    const pass = storagePassSteps(ports, ACCOUNT);
    await pass.publish();
    await pass.mark();
    await upload.settle();
    await upload.commit();
    await pass.sweep();
    await pass.finish();
    for (let passes = 0; passes < 2; passes++) {
      ports.clock.advanceSeconds(CHUNK_GRACE_SECONDS + 1);
      await storagePass(ports, ACCOUNT);
    }
    expect(await stored(ports, ['g', 'w'])).toEqual(['g', 'w']);
  });
});
