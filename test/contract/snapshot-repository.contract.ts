import { beforeEach, describe, expect, it } from 'vitest';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { SnapshotRepository } from '../../core/ports/snapshot-repository.ts';
import {
  ConcurrentModificationError,
  InvalidCursorError,
} from '../../core/shared/persistence-errors.ts';
import {
  addSnapshotReader,
  markAvailable,
  markCaptured,
  markSnapshotDeleted,
  markSnapshotFailed,
  removeSnapshotReader,
  type Snapshot,
  type SnapshotReader,
  startCapture,
  startSnapshotDeletion,
} from '../../core/snapshots/snapshot.ts';
import { anAccountId, anId, aSnapshot } from '../support/records.ts';
import { type AccountRecords, accountRecordsContract } from './account-records.contract.ts';
import { inBatches, walkPages } from './paging.ts';

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
export function snapshotRepositoryContract(
  make: (cursorSigner: Signer) => SnapshotRepository,
): void {
  let snapshots: SnapshotRepository;
  let accountId: string;

  beforeEach(() => {
    snapshots = make(KEY);
    accountId = anAccountId();
  });

  accountRecordsContract({
    kind: 'snapshot',
    make: (cursorSigner) => unfiltered(make(cursorSigner)),
    aRecord: (accountId) => aSnapshot({ accountId }),
  });

  describe('update', () => {
    it('carries a snapshot through its statuses to deleted, keeping every field', async () => {
      const pending = aSnapshot({ accountId });
      await snapshots.create(pending);
      const capturing = startCapture(pending, T1);
      const uploading = markCaptured(
        capturing,
        { consistency: 'powered-off', poweredOffAt: T1 },
        '2025-03-01T11:00:30.000Z',
      );
      const available = markAvailable(
        uploading,
        { sizeBytes: 5, manifestKey: 'acct/snapshots/x/manifest.json' },
        '2025-03-01T11:05:00.000Z',
      );
      const deleting = startSnapshotDeletion(available, '2025-03-10T00:00:00.000Z');
      const deleted = markSnapshotDeleted(deleting, '2025-03-10T00:01:00.000Z');

      const steps = [pending, capturing, uploading, available, deleting, deleted];
      for (let i = 1; i < steps.length; i++) {
        const [current, next] = [steps[i - 1], steps[i]];
        if (current && next) await snapshots.update(current, next);
      }

      expect(await snapshots.get(accountId, pending.id)).toEqual(deleted);
    });

    it('refuses a write based on a stale status and changes nothing', async () => {
      const snapshot = aSnapshot({ accountId });
      await snapshots.create(snapshot);
      const failed = markSnapshotFailed(
        snapshot,
        { code: 'AGENT_UNREACHABLE', message: 'gone' },
        T1,
      );
      await snapshots.update(snapshot, failed);

      const stale = snapshots.update(snapshot, startCapture(snapshot, T1));

      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await snapshots.get(accountId, snapshot.id)).toEqual(failed);
    });

    it('lets exactly one of two racing transitions from the same status win', async () => {
      const snapshot = aSnapshot({ accountId });
      await snapshots.create(snapshot);

      const outcomes = await Promise.allSettled([
        snapshots.update(snapshot, startCapture(snapshot, T1)),
        snapshots.update(
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
      const available = { ...aSnapshot({ accountId }), status: 'available' as const };
      await snapshots.create(available);

      const outcomes = await Promise.allSettled([
        snapshots.update(available, addSnapshotReader(available, aReader(anId('operation')), T1)),
        snapshots.update(available, startSnapshotDeletion(available, T1)),
      ]);

      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const readerWon = outcomes[0]?.status === 'fulfilled';
      expect(won).toHaveLength(1);
      expect(await snapshots.get(accountId, available.id)).toMatchObject(
        readerWon
          ? { status: 'available', readers: [expect.anything()] }
          : { status: 'deleting', readers: [] },
      );
    });

    it('refuses a write that expects the readers as they were before another joined', async () => {
      const available = { ...aSnapshot({ accountId }), status: 'available' as const };
      await snapshots.create(available);
      const first = addSnapshotReader(available, aReader(anId('operation')), T1);
      await snapshots.update(available, first);
      const second = addSnapshotReader(first, aReader(anId('operation')), T1);
      await snapshots.update(first, second);

      const stale = snapshots.update(
        first,
        removeSnapshotReader(first, first.readers[0]?.operationId ?? '', T1),
      );

      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect((await snapshots.get(accountId, available.id))?.readers).toEqual(second.readers);
    });

    it('keeps a rename and a progress write that raced from the same state', async () => {
      const snapshot = { ...aSnapshot({ accountId }), status: 'uploading' as const };
      await snapshots.create(snapshot);

      await snapshots.update(snapshot, { ...snapshot, name: 'renamed' });
      await snapshots.update(snapshot, {
        ...snapshot,
        progress: { ...snapshot.progress, bytesDone: 10, updatedAt: T1 },
      });

      const stored = await snapshots.get(accountId, snapshot.id);
      expect(stored?.name).toBe('renamed');
      expect(stored?.progress.bytesDone).toBe(10);
    });
  });

  describe('list', () => {
    it('lists newest first, without deleted ones or other accounts’', async () => {
      const older = aSnapshot({ accountId });
      const gone = { ...aSnapshot({ accountId }), status: 'deleting' as const };
      const newer = aSnapshot({ accountId });
      for (const snapshot of [older, gone, newer, aSnapshot({ accountId: anAccountId() })]) {
        await snapshots.create(snapshot);
      }
      await snapshots.update(gone, markSnapshotDeleted(gone, T1));

      const page = await snapshots.list(accountId, {}, { limit: 50 });

      expect(page.items.map((snapshot) => snapshot.id)).toEqual([newer.id, older.id]);
      expect(page.nextCursor).toBeNull();
    });

    it('filters by region, by slice, and by both', async () => {
      const sliceA = anId('slice');
      const sliceB = anId('slice');
      const a1 = aSnapshot({ accountId, sliceId: sliceA, region: 'fra1' });
      const b1 = aSnapshot({ accountId, sliceId: sliceB, region: 'nyc1' });
      const a2 = aSnapshot({ accountId, sliceId: sliceA, region: 'fra1' });
      const goneA = { ...aSnapshot({ accountId, sliceId: sliceA }), status: 'deleting' as const };
      for (const snapshot of [a1, b1, a2, goneA]) await snapshots.create(snapshot);
      await snapshots.update(goneA, markSnapshotDeleted(goneA, T1));
      const idsOf = async (filter: { region?: string; sliceId?: string }) =>
        (await snapshots.list(accountId, filter, { limit: 50 })).items.map((each) => each.id);

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
        aSnapshot({ accountId, ...(i % 2 === 0 ? { sliceId, region: 'nyc1' } : {}) }),
      );
      await inBatches(created.map((snapshot) => () => snapshots.create(snapshot)));
      const expected = created
        .filter((snapshot) => snapshot.sliceId === sliceId)
        .map((snapshot) => snapshot.id)
        .reverse();

      const bySlice = await walkPages((page) => snapshots.list(accountId, { sliceId }, page), 50);
      const byRegion = await walkPages(
        (page) => snapshots.list(accountId, { region: 'nyc1' }, page),
        50,
      );

      expect(bySlice.ids).toEqual(expected);
      expect(byRegion.ids).toEqual(expected);
      expect(bySlice.pageSizes).toEqual([50, 50, 20]);
    });

    it('refuses a cursor issued for other filters', async () => {
      for (let i = 0; i < 3; i++) await snapshots.create(aSnapshot({ accountId }));
      const { nextCursor } = await snapshots.list(accountId, {}, { limit: 1 });
      const cursor = nextCursor ?? '';

      const attempts = [
        () => snapshots.list(accountId, { region: 'fra1' }, { limit: 1, cursor }),
        () => snapshots.list(accountId, { sliceId: anId('slice') }, { limit: 1, cursor }),
      ];

      for (const attempt of attempts)
        await expect(attempt()).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
