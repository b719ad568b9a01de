import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { parseLabelSelector } from '../../core/labels/label-selector.ts';
import { MAX_RECORDS_EXAMINED } from '../../core/pagination/selected-page.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { SnapshotRepository } from '../../core/ports/snapshot-repository.ts';
import {
  ConcurrentModificationError,
  InvalidCursorError,
} from '../../core/shared/persistence-errors.ts';
import {
  addSnapshotReader,
  editSnapshot,
  markSnapshotDeleted,
  markSnapshotFailed,
  markSnapshotRecovered,
  markSnapshotRecycled,
  recordVerification,
  removeSnapshotReader,
  type Snapshot,
  type SnapshotReader,
  startCapture,
  startSnapshotDeletion,
} from '../../core/snapshots/snapshot.ts';
import { anAccountId, anId, aSnapshot, takingSteps } from '../support/records.ts';
import { type AccountRecords, accountRecordsContract } from './account-records.contract.ts';
import { freshPerTest } from './describe-contract.ts';
import { inBatches, timedWalk, walkPages } from './paging.ts';

const T1 = '2025-03-01T11:00:00.000Z';
const LATER = '2025-03-02T00:00:00.000Z';

function aReader(operationId: string): SnapshotReader {
  return { operationId, operationType: 'slice.restore', sliceId: 'slc_reader', until: LATER };
}
const KEY = new HmacSigner('snapshot-contract-cursor-key-0123456789abcdef');

/** The snapshots of `repository` read as a list without filters. */
function unfiltered(repository: SnapshotRepository): AccountRecords<Snapshot> {
  return {
    create: (snapshot) => repository.create(snapshot),
    get: (accountId, snapshotId) => repository.get(accountId, snapshotId),
    list: (accountId, page) => repository.list(accountId, {}, page),
  };
}

/** The behaviour every SnapshotRepository shares; `make` builds one signing cursors with `signer`. */
/**
 * `count` times a minute apart, from a moment of `year` picked at random so that suites sharing
 * the table do not meet the same times.
 */
function minutesApartIn(year: number, count: number): string[] {
  const base = Date.UTC(year, 0, 1) + randomInt(0, 3_000_000) * 1000;
  return Array.from({ length: count }, (_, index) => new Date(base + index * 60_000).toISOString());
}

/** The ids among `found` of the snapshots in `mine`, in the order found (other suites share the table). */
const ownIds = (found: readonly Snapshot[], mine: readonly Snapshot[]) =>
  found.filter((each) => mine.some((own) => own.id === each.id)).map((each) => each.id);

export function snapshotRepositoryContract(
  make: (cursorSigner: Signer) => SnapshotRepository,
): void {
  const fresh = freshPerTest(() => ({ snapshots: make(KEY), accountId: anAccountId() }));

  accountRecordsContract({
    kind: 'snapshot',
    make: (cursorSigner) => unfiltered(make(cursorSigner)),
    aRecord: (accountId) => aSnapshot({ accountId }),
  });

  /** An available snapshot of the account, taken at `takenAt` (at T1 unless named), stored. */
  async function anAvailableSnapshot(takenAt?: string): Promise<Snapshot> {
    const pending = aSnapshot(
      takenAt ? { accountId: fresh.accountId, createdAt: takenAt } : { accountId: fresh.accountId },
    );
    const at = takenAt ?? T1;
    await fresh.snapshots.create(pending);
    const { available } = takingSteps(
      pending,
      { startedAt: at, poweredOffAt: at, capturedAt: at, availableAt: at },
      { sizeBytes: 4096, manifestKey: 'm' },
    );
    await fresh.snapshots.update(pending, available);
    return available;
  }

  describe('update', () => {
    it('carries a snapshot through its statuses to deleted, keeping every field', async () => {
      const pending = aSnapshot({ accountId: fresh.accountId });
      await fresh.snapshots.create(pending);
      const { capturing, uploading, available } = takingSteps(
        pending,
        {
          startedAt: T1,
          poweredOffAt: T1,
          capturedAt: '2025-03-01T11:00:30.000Z',
          availableAt: '2025-03-01T11:05:00.000Z',
        },
        { sizeBytes: 5, manifestKey: 'acct/snapshots/x/manifest.json' },
      );
      const deleting = startSnapshotDeletion(available, '2025-03-10T00:00:00.000Z');
      const deleted = markSnapshotDeleted(deleting, '2025-03-10T00:01:00.000Z');

      const steps = [pending, capturing, uploading, available, deleting, deleted];
      for (let i = 1; i < steps.length; i++) {
        const [current, next] = [steps[i - 1], steps[i]];
        if (current && next) await fresh.snapshots.update(current, next);
      }

      expect(await fresh.snapshots.get(fresh.accountId, pending.id)).toEqual(deleted);
    });

    it('refuses a write based on a stale status and changes nothing', async () => {
      const snapshot = aSnapshot({ accountId: fresh.accountId });
      await fresh.snapshots.create(snapshot);
      const failed = markSnapshotFailed(
        snapshot,
        { code: 'AGENT_UNREACHABLE', message: 'gone' },
        T1,
      );
      await fresh.snapshots.update(snapshot, failed);

      const stale = fresh.snapshots.update(snapshot, startCapture(snapshot, T1));

      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await fresh.snapshots.get(fresh.accountId, snapshot.id)).toEqual(failed);
    });

    it('lets exactly one of two racing transitions from the same status win', async () => {
      const snapshot = aSnapshot({ accountId: fresh.accountId });
      await fresh.snapshots.create(snapshot);

      const outcomes = await Promise.allSettled([
        fresh.snapshots.update(snapshot, startCapture(snapshot, T1)),
        fresh.snapshots.update(
          snapshot,
          markSnapshotFailed(snapshot, { code: 'SNAPSHOT_FAILED', message: 'y' }, T1),
        ),
      ]);

      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter(
        (outcome) =>
          outcome.status === 'rejected' && outcome.reason instanceof ConcurrentModificationError,
      );
      expect([won.length, lost.length]).toEqual([1, 1]);
    });

    it('lets exactly one of a reader starting and a deletion starting win', async () => {
      const available = {
        ...aSnapshot({ accountId: fresh.accountId }),
        status: 'available' as const,
      };
      await fresh.snapshots.create(available);

      const outcomes = await Promise.allSettled([
        fresh.snapshots.update(
          available,
          addSnapshotReader(available, aReader(anId('operation')), T1),
        ),
        fresh.snapshots.update(available, startSnapshotDeletion(available, T1)),
      ]);

      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const readerWon = outcomes[0]?.status === 'fulfilled';
      expect(won).toHaveLength(1);
      expect(await fresh.snapshots.get(fresh.accountId, available.id)).toMatchObject(
        readerWon
          ? { status: 'available', readers: [expect.anything()] }
          : { status: 'deleting', readers: [] },
      );
    });

    it('refuses a write that expects the readers as they were before another joined', async () => {
      const available = {
        ...aSnapshot({ accountId: fresh.accountId }),
        status: 'available' as const,
      };
      await fresh.snapshots.create(available);
      const first = addSnapshotReader(available, aReader(anId('operation')), T1);
      await fresh.snapshots.update(available, first);
      const second = addSnapshotReader(first, aReader(anId('operation')), T1);
      await fresh.snapshots.update(first, second);

      const stale = fresh.snapshots.update(
        first,
        removeSnapshotReader(first, first.readers[0]?.operationId ?? '', T1),
      );

      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect((await fresh.snapshots.get(fresh.accountId, available.id))?.readers).toEqual(
        second.readers,
      );
    });

    it('keeps a rename and a progress write that raced from the same state', async () => {
      const snapshot = {
        ...aSnapshot({ accountId: fresh.accountId }),
        status: 'uploading' as const,
      };
      await fresh.snapshots.create(snapshot);

      await fresh.snapshots.update(snapshot, { ...snapshot, name: 'renamed' });
      await fresh.snapshots.update(snapshot, {
        ...snapshot,
        progress: { ...snapshot.progress, bytesDone: 10, updatedAt: T1 },
      });

      const stored = await fresh.snapshots.get(fresh.accountId, snapshot.id);
      expect(stored?.name).toBe('renamed');
      expect(stored?.progress.bytesDone).toBe(10);
    });
  });

  describe('list', () => {
    it('lists newest first, without deleted ones or other accounts’', async () => {
      const older = aSnapshot({ accountId: fresh.accountId });
      const gone = { ...aSnapshot({ accountId: fresh.accountId }), status: 'deleting' as const };
      const newer = aSnapshot({ accountId: fresh.accountId });
      for (const snapshot of [older, gone, newer, aSnapshot({ accountId: anAccountId() })]) {
        await fresh.snapshots.create(snapshot);
      }
      await fresh.snapshots.update(gone, markSnapshotDeleted(gone, T1));

      const page = await fresh.snapshots.list(fresh.accountId, {}, { limit: 50 });

      expect(page.items.map((snapshot) => snapshot.id)).toEqual([newer.id, older.id]);
      expect(page.nextCursor).toBeNull();
    });

    it('filters by region, by slice, and by both', async () => {
      const sliceA = anId('slice');
      const sliceB = anId('slice');
      const a1 = aSnapshot({ accountId: fresh.accountId, sliceId: sliceA, region: 'fra1' });
      const b1 = aSnapshot({ accountId: fresh.accountId, sliceId: sliceB, region: 'nyc1' });
      const a2 = aSnapshot({ accountId: fresh.accountId, sliceId: sliceA, region: 'fra1' });
      const goneA = {
        ...aSnapshot({ accountId: fresh.accountId, sliceId: sliceA }),
        status: 'deleting' as const,
      };
      for (const snapshot of [a1, b1, a2, goneA]) await fresh.snapshots.create(snapshot);
      await fresh.snapshots.update(goneA, markSnapshotDeleted(goneA, T1));
      const idsOf = async (filter: { region?: string; sliceId?: string }) =>
        (await fresh.snapshots.list(fresh.accountId, filter, { limit: 50 })).items.map(
          (each) => each.id,
        );

      expect(await idsOf({ region: 'fra1' })).toEqual([a2.id, a1.id]);
      expect(await idsOf({ region: 'nyc1' })).toEqual([b1.id]);
      expect(await idsOf({ sliceId: sliceA })).toEqual([a2.id, a1.id]);
      expect(await idsOf({ sliceId: sliceB })).toEqual([b1.id]);
      expect(await idsOf({ sliceId: sliceA, region: 'nyc1' })).toEqual([]);
      expect(await idsOf({ sliceId: anId('slice') })).toEqual([]);
    });

    it('walks a filtered list of 120 among others with no duplicate and no gap', async () => {
      const sliceId = anId('slice');
      const created = Array.from({ length: 240 }, (_, i) =>
        aSnapshot({
          accountId: fresh.accountId,
          ...(i % 2 === 0 ? { sliceId, region: 'nyc1' } : {}),
        }),
      );
      await inBatches(created.map((snapshot) => () => fresh.snapshots.create(snapshot)));
      const expected = created
        .filter((snapshot) => snapshot.sliceId === sliceId)
        .map((snapshot) => snapshot.id)
        .reverse();

      const bySlice = await walkPages(
        (page) => fresh.snapshots.list(fresh.accountId, { sliceId }, page),
        50,
      );
      const byRegion = await walkPages(
        (page) => fresh.snapshots.list(fresh.accountId, { region: 'nyc1' }, page),
        50,
      );

      expect(bySlice.ids).toEqual(expected);
      expect(byRegion.ids).toEqual(expected);
      expect(bySlice.pageSizes).toEqual([50, 50, 20]);
    });

    it('refuses a cursor issued for other filters', async () => {
      for (let i = 0; i < 3; i++)
        await fresh.snapshots.create(aSnapshot({ accountId: fresh.accountId }));
      const { nextCursor } = await fresh.snapshots.list(fresh.accountId, {}, { limit: 1 });
      const cursor = nextCursor ?? '';

      const attempts = [
        () => fresh.snapshots.list(fresh.accountId, { region: 'fra1' }, { limit: 1, cursor }),
        () =>
          fresh.snapshots.list(fresh.accountId, { sliceId: anId('slice') }, { limit: 1, cursor }),
        () =>
          fresh.snapshots.list(
            fresh.accountId,
            { labelSelector: parseLabelSelector('env==prod') },
            { limit: 1, cursor },
          ),
      ];

      for (const attempt of attempts)
        await expect(attempt()).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('labels and protection', () => {
    it('keeps labels and protection as written', async () => {
      const snapshot = aSnapshot({
        accountId: fresh.accountId,
        labels: { env: 'prod', 'team.example/owner': 'web', empty: '' },
      });
      await fresh.snapshots.create(snapshot);
      const edited = editSnapshot(snapshot, { protected: true, labels: { env: 'dev' } }, T1);

      await fresh.snapshots.update(snapshot, edited);

      expect(await fresh.snapshots.get(fresh.accountId, snapshot.id)).toEqual(edited);
    });

    it('refuses a label merge based on labels another merge changed meanwhile', async () => {
      const snapshot = aSnapshot({ accountId: fresh.accountId, labels: { env: 'prod' } });
      await fresh.snapshots.create(snapshot);

      const outcomes = await Promise.allSettled([
        fresh.snapshots.update(
          snapshot,
          editSnapshot(snapshot, { labels: { env: 'prod', a: '1' } }, T1),
        ),
        fresh.snapshots.update(
          snapshot,
          editSnapshot(snapshot, { labels: { env: 'prod', b: '2' } }, T1),
        ),
      ]);

      const lost = outcomes.filter(
        (outcome) =>
          outcome.status === 'rejected' && outcome.reason instanceof ConcurrentModificationError,
      );
      expect(lost).toHaveLength(1);
      expect(
        Object.keys((await fresh.snapshots.get(fresh.accountId, snapshot.id))?.labels ?? {}),
      ).toHaveLength(2);
    });

    /**
     * Stores a snapshot in `status`, then protects it; answers the snapshot as stored before, the
     * version a write decided earlier still names.
     */
    async function protectedAfterwards<S extends Snapshot['status']>(status: S) {
      const before = { ...aSnapshot({ accountId: fresh.accountId }), status };
      await fresh.snapshots.create(before);
      await fresh.snapshots.update(before, editSnapshot(before, { protected: true }, T1));
      return before;
    }

    it('refuses a deletion decided before the snapshot was protected', async () => {
      const available = await protectedAfterwards('available');

      const stale = fresh.snapshots.update(available, startSnapshotDeletion(available, T1));

      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await fresh.snapshots.get(fresh.accountId, available.id)).toMatchObject({
        status: 'available',
        protected: true,
      });
    });

    it('lets a write that moves neither status nor protection pass a protection change', async () => {
      const uploading = await protectedAfterwards('uploading');

      await fresh.snapshots.update(uploading, {
        ...uploading,
        progress: { ...uploading.progress, bytesDone: 10, updatedAt: T1 },
      });

      expect(await fresh.snapshots.get(fresh.accountId, uploading.id)).toMatchObject({
        protected: true,
        progress: { bytesDone: 10 },
      });
    });
  });
  describe('list with a label selector', () => {
    const selector = (text: string) => ({ labelSelector: parseLabelSelector(text) });

    it('lists only what the selector selects, of this account only', async () => {
      const prod = aSnapshot({ accountId: fresh.accountId, labels: { env: 'prod', tier: 'gold' } });
      const dev = aSnapshot({ accountId: fresh.accountId, labels: { env: 'dev' } });
      const bare = aSnapshot({ accountId: fresh.accountId });
      const foreign = aSnapshot({
        accountId: anAccountId(),
        labels: { env: 'prod', tier: 'gold' },
      });
      for (const snapshot of [prod, dev, bare, foreign]) await fresh.snapshots.create(snapshot);
      const idsOf = async (text: string) =>
        (await fresh.snapshots.list(fresh.accountId, selector(text), { limit: 50 })).items.map(
          (s) => s.id,
        );

      expect(await idsOf('env==prod')).toEqual([prod.id]);
      expect(await idsOf('env!=prod')).toEqual([bare.id, dev.id]);
      expect(await idsOf('env')).toEqual([dev.id, prod.id]);
      expect(await idsOf('!env')).toEqual([bare.id]);
      expect(await idsOf('env in (dev,prod),tier notin (silver)')).toEqual([dev.id, prod.id]);
      expect(await idsOf('')).toEqual([bare.id, dev.id, prod.id]);
    });

    it('combines a selector with the slice and region filters', async () => {
      const sliceId = anId('slice');
      const mine = aSnapshot({ accountId: fresh.accountId, sliceId, labels: { env: 'prod' } });
      const otherSlice = aSnapshot({ accountId: fresh.accountId, labels: { env: 'prod' } });
      const otherRegion = aSnapshot({
        accountId: fresh.accountId,
        sliceId,
        region: 'nyc1',
        labels: { env: 'prod' },
      });
      for (const snapshot of [mine, otherSlice, otherRegion])
        await fresh.snapshots.create(snapshot);

      const page = await fresh.snapshots.list(
        fresh.accountId,
        { sliceId, region: 'fra1', ...selector('env==prod') },
        { limit: 50 },
      );

      expect(page.items.map((snapshot) => snapshot.id)).toEqual([mine.id]);
    });

    it('walks sparse matches in full pages, no duplicate and no gap', async () => {
      // 7 of 160 selected, spread out, with deleted ones in between.
      const created = Array.from({ length: 160 }, (_, i) =>
        aSnapshot({
          accountId: fresh.accountId,
          labels: i % 23 === 5 ? { backup: 'weekly' } : { backup: 'daily' },
        }),
      );
      await inBatches(created.map((snapshot) => () => fresh.snapshots.create(snapshot)));
      const tombstone = created[28];
      if (tombstone) {
        const deleting = { ...tombstone, status: 'deleting' as const };
        await fresh.snapshots.update(tombstone, deleting);
        await fresh.snapshots.update(deleting, markSnapshotDeleted(deleting, T1));
      }
      const expected = created
        .filter((snapshot, i) => i % 23 === 5 && snapshot !== tombstone)
        .map((snapshot) => snapshot.id)
        .reverse();

      const walk = await walkPages(
        (page) => fresh.snapshots.list(fresh.accountId, selector('backup==weekly'), page),
        3,
      );

      expect(walk.ids).toEqual(expected);
      expect(walk.pageSizes).toEqual([3, 3]);
    });

    it(`reads at most ${MAX_RECORDS_EXAMINED} records a page, and goes on from there`, async () => {
      // The only match is older than the first page's reading reaches.
      const created = Array.from({ length: MAX_RECORDS_EXAMINED + 60 }, (_, i) =>
        aSnapshot({ accountId: fresh.accountId, ...(i === 0 ? { labels: { rare: 'yes' } } : {}) }),
      );
      await inBatches(
        created.map((snapshot) => () => fresh.snapshots.create(snapshot)),
        25,
      );

      const walk = await timedWalk(
        (page) => fresh.snapshots.list(fresh.accountId, selector('rare'), page),
        10,
      );

      expect(walk.pageSizes).toEqual([0, 1]);
      expect(walk.ids).toEqual([created[0]?.id]);
      process.stdout.write(
        `selector over ${created.length} records, 1 match: pages of ${walk.millis.map((ms) => `${ms} ms`).join(', ')}\n`,
      );
    });
  });

  describe('the recycle bin', () => {
    /** Puts `snapshot` in the recycle bin until `purgeAt`. */
    async function recycled(snapshot: Snapshot, purgeAt: string): Promise<Snapshot> {
      const next = markSnapshotRecycled(snapshot, {
        now: T1,
        purgeAt,
        operationId: anId('operation'),
      });
      await fresh.snapshots.update(snapshot, next);
      return next;
    }

    /**
     * Purge times far in the past: the table is shared with other suites, whose recycled
     * snapshots expire now or later, never then.
     */
    const purgeTimes = (count: number) => minutesApartIn(2001, count);

    it('leaves recycled snapshots out of the normal list, and lists only them with status', async () => {
      const kept = await anAvailableSnapshot();
      const [purgeAt = ''] = purgeTimes(1);
      const binned = await recycled(await anAvailableSnapshot(), purgeAt);

      const normal = await fresh.snapshots.list(fresh.accountId, {}, { limit: 50 });
      const bin = await fresh.snapshots.list(
        fresh.accountId,
        { status: 'recycled' },
        { limit: 50 },
      );

      expect(normal.items.map((each) => each.id)).toEqual([kept.id]);
      expect(bin.items).toEqual([binned]);
    });

    it('walks a bin of 60 among 60 others in pages with no duplicate and no gap', async () => {
      const [purgeAt = ''] = purgeTimes(1);
      const created: Snapshot[] = [];
      await inBatches(
        Array.from({ length: 120 }, () => async () => {
          created.push(await anAvailableSnapshot());
        }),
      );
      created.sort((a, b) => (a.id < b.id ? -1 : 1));
      const binned = created.filter((_, index) => index % 2 === 0);
      await inBatches(binned.map((snapshot) => () => recycled(snapshot, purgeAt)));

      const walk = await walkPages(
        (page) => fresh.snapshots.list(fresh.accountId, { status: 'recycled' }, page),
        25,
      );

      expect(walk.ids).toEqual(binned.map((each) => each.id).reverse());
      expect(walk.pageSizes).toEqual([25, 25, 10]);
    });

    it('lists the expired ones, longest expired first, and none that has time left', async () => {
      const [first = '', second = '', third = ''] = purgeTimes(3);
      const a = await recycled(await anAvailableSnapshot(), second);
      const b = await recycled(await anAvailableSnapshot(), first);
      const c = await recycled(await anAvailableSnapshot(), third);
      const mine = [a, b, c];

      const expired = await fresh.snapshots.listExpired(second, 1000);

      expect(ownIds(expired, mine)).toEqual([b.id, a.id]);
      expect(expired.find((each) => each.id === a.id)).toEqual(a);
    });

    it('walks the expired ones page by page, each once', async () => {
      const times = purgeTimes(5);
      const mine: Snapshot[] = [];
      for (const purgeAt of times) mine.push(await recycled(await anAvailableSnapshot(), purgeAt));
      const seen: Snapshot[] = [];
      let after: Snapshot | null = null;

      for (let pages = 0; pages < 100; pages += 1) {
        const page: readonly Snapshot[] = await fresh.snapshots.listExpired(
          times[4] ?? '',
          2,
          after,
        );
        seen.push(...page);
        after = page.at(-1) ?? null;
        if (page.length < 2) break;
      }

      expect(ownIds(seen, mine)).toEqual(mine.map((each) => each.id));
    });

    it('drops a snapshot from the expired ones once it is recovered or being deleted', async () => {
      const [purgeAt = ''] = purgeTimes(1);
      const recovered = await recycled(await anAvailableSnapshot(), purgeAt);
      const purged = await recycled(await anAvailableSnapshot(), purgeAt);
      await fresh.snapshots.update(recovered, markSnapshotRecovered(recovered, T1));
      await fresh.snapshots.update(purged, startSnapshotDeletion(purged, T1, anId('operation')));

      const expired = await fresh.snapshots.listExpired(purgeAt, 1000);

      expect(ownIds(expired, [recovered, purged])).toEqual([]);
      expect(await fresh.snapshots.get(fresh.accountId, recovered.id)).toMatchObject({
        status: 'available',
        purgeAt: null,
      });
    });
  });
  describe('snapshots due for verification', () => {
    /**
     * Times far in the past: the table is shared with other suites, whose available snapshots
     * were taken or verified at other times.
     */
    const takenTimes = (count: number) => minutesApartIn(2000, count);

    it('lists the available ones longest unchecked first, by their last verification or else their taking', async () => {
      const [first = '', second = '', third = '', fourth = ''] = takenTimes(4);
      const a = await anAvailableSnapshot(first);
      const b = await anAvailableSnapshot(second);
      const verifiedLater = recordVerification(a, { corrupt: false }, fourth);
      await fresh.snapshots.update(a, verifiedLater);
      const c = await anAvailableSnapshot(third);
      const binned = markSnapshotRecycled(c, {
        now: third,
        purgeAt: fourth,
        operationId: anId('operation'),
      });
      await fresh.snapshots.update(c, binned);

      const due = await fresh.snapshots.listDueForVerification(fourth, 1000);
      const dueBefore = await fresh.snapshots.listDueForVerification(third, 1000);

      expect(ownIds(due, [a, b, c])).toEqual([b.id, a.id]);
      expect(ownIds(dueBefore, [a, b, c])).toEqual([b.id]);
      expect(due.find((each) => each.id === a.id)).toEqual(verifiedLater);
    });
  });
}
