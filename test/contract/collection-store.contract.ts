import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { CollectionStore } from '../../core/ports/collection-store.ts';
import type { SweepNotice, SweepProgress } from '../../core/storage/chunk-collection.ts';
import { freshPerTest } from './describe-contract.ts';

const NOTICE: SweepNotice = {
  markId: 'mrk_1',
  publishedAt: '2026-03-01T10:00:00.000Z',
  eligible: ['a', 'b'],
  deleteUntil: '2026-03-01T10:55:30.000Z',
  endedAt: null,
};

const PROGRESS: SweepProgress = {
  condemned: [['c', '2026-03-01T10:00:01.000Z']],
  deleted: 2,
  deletedBytes: 7_000,
  alsoMarked: ['acct/chunks/d'],
  through: 'cursor-1',
  done: false,
};

/** The behaviour every CollectionStore shares. */
export function collectionStoreContract(make: () => { readonly store: CollectionStore }): void {
  const fresh = freshPerTest(() => ({ store: make().store, account: `acct-${randomUUID()}` }));

  it('keeps the condemned list written last, and none for another account', async () => {
    const empty = await fresh.store.readCondemned(fresh.account);
    await fresh.store.writeCondemned(fresh.account, new Map([['a', '2026-03-01T09:00:00.000Z']]));
    await fresh.store.writeCondemned(fresh.account, new Map([['b', '2026-03-01T10:00:00.000Z']]));

    expect(empty.size).toBe(0);
    expect([...(await fresh.store.readCondemned(fresh.account))]).toEqual([
      ['b', '2026-03-01T10:00:00.000Z'],
    ]);
    expect((await fresh.store.readCondemned(`${fresh.account}-other`)).size).toBe(0);
  });

  it('gives back a notice as written and as ended, and deletes only those that ended before a time', async () => {
    await fresh.store.writeNotice(fresh.account, NOTICE);
    const published = await fresh.store.readNotice(fresh.account, 'mrk_1');
    await fresh.store.writeNotice(fresh.account, {
      ...NOTICE,
      endedAt: '2026-03-01T10:05:00.000Z',
    });
    await fresh.store.writeNotice(fresh.account, { ...NOTICE, markId: 'mrk_2' });
    await fresh.store.writeNotice(fresh.account, {
      ...NOTICE,
      markId: 'mrk_3',
      endedAt: '2026-03-01T12:00:00.000Z',
    });

    const deleted = await fresh.store.deleteNoticesEndedBefore(
      fresh.account,
      new Date('2026-03-01T11:00:00Z'),
    );

    expect(published).toEqual(NOTICE);
    expect(deleted).toBe(1);
    expect(await fresh.store.readNotice(fresh.account, 'mrk_1')).toBeNull();
    expect(await fresh.store.readNotice(fresh.account, 'mrk_2')).toEqual({
      ...NOTICE,
      markId: 'mrk_2',
    });
    expect((await fresh.store.readNotice(fresh.account, 'mrk_3'))?.endedAt).toBe(
      '2026-03-01T12:00:00.000Z',
    );
  });

  it("keeps a sweep's progress until it is deleted, and one not stored without complaint", async () => {
    await fresh.store.saveProgress(fresh.account, 'mrk_1', PROGRESS);
    const saved = await fresh.store.loadProgress(fresh.account, 'mrk_1');
    await fresh.store.deleteProgress(fresh.account, 'mrk_1');
    await fresh.store.deleteProgress(fresh.account, 'mrk_1');

    expect(saved).toEqual(PROGRESS);
    expect(await fresh.store.loadProgress(fresh.account, 'mrk_1')).toBeNull();
    expect(await fresh.store.loadProgress(fresh.account, 'mrk_2')).toBeNull();
  });
}
