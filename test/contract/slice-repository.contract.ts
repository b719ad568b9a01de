import { describe, expect, it } from 'vitest';
import { HmacSigner } from '../../adapters/node/hmac-signer.ts';
import { parseLabelSelector } from '../../core/labels/label-selector.ts';
import type { OperationType } from '../../core/operations/operation-type.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { SliceRepository } from '../../core/ports/slice-repository.ts';
import {
  ConcurrentModificationError,
  InvalidCursorError,
} from '../../core/shared/persistence-errors.ts';
import { editSlice, lockSlice, markSliceDeleted, type Slice } from '../../core/slices/slice.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceDeleteProtectedError,
  SliceLockNotHeldError,
  SliceNotFoundError,
} from '../../core/slices/slice-errors.ts';
import { anAccountId, anId, aSlice } from '../support/records.ts';
import { type AccountRecords, accountRecordsContract } from './account-records.contract.ts';
import { freshPerTest } from './describe-contract.ts';
import { inBatches, walkPages } from './paging.ts';

const T1 = '2025-03-01T11:00:00.000Z';
const KEY = new HmacSigner('slice-contract-cursor-key-0123456789abcdef');

/** The slices of `repository` read as a list without filters. */
function unfiltered(repository: SliceRepository): AccountRecords<Slice> {
  return {
    create: (slice) => repository.create(slice),
    get: (accountId, sliceId) => repository.get(accountId, sliceId),
    list: (accountId, page) => repository.list(accountId, {}, page),
  };
}

/** The behaviour every SliceRepository shares; `make` builds one signing cursors with `signer`. */
export function sliceRepositoryContract(make: (cursorSigner: Signer) => SliceRepository): void {
  const fresh = freshPerTest(() => ({ slices: make(KEY), accountId: anAccountId() }));

  /** Takes the lock of `slice` at T1 for an operation of `operationType` (a new one unless named). */
  function lockFor(slice: Slice, operationType: OperationType, operationId = anId('operation')) {
    const { accountId } = fresh;
    return fresh.slices.acquireLock({
      accountId,
      sliceId: slice.id,
      operationId,
      operationType,
      now: T1,
    });
  }

  /** The release of the slice's lock by `operationId`, at T1. */
  function releaseBy(sliceId: string, operationId: string) {
    return fresh.slices.releaseLock({ accountId: fresh.accountId, sliceId, operationId, now: T1 });
  }

  accountRecordsContract({
    kind: 'slice',
    make: (cursorSigner) => unfiltered(make(cursorSigner)),
    aRecord: (accountId) => aSlice({ accountId }),
  });

  describe('update', () => {
    it('writes the changes when the status is still the expected one', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);

      await fresh.slices.update(slice, { ...slice, usedBytes: 123, updatedAt: T1 });

      expect(await fresh.slices.get(fresh.accountId, slice.id)).toEqual({
        ...slice,
        usedBytes: 123,
        updatedAt: T1,
      });
    });

    it('refuses a write based on a stale status and changes nothing', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);
      const deleted = markSliceDeleted({ ...slice, status: 'error' }, T1);
      await fresh.slices.update(slice, deleted);

      const stale = fresh.slices.update(slice, { ...slice, name: 'late' });

      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await fresh.slices.get(fresh.accountId, slice.id)).toEqual(deleted);
    });

    it('refuses a write expecting another lock holder', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);
      const held = await lockFor(slice, 'slice.power');
      const imagined = {
        ...held,
        lock: held.lock && { ...held.lock, operationId: anId('operation') },
      };

      const write = fresh.slices.update(imagined, { ...imagined, power: 'off' as const });

      await expect(write).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect((await fresh.slices.get(fresh.accountId, slice.id))?.power).toBe('on');
    });

    it('keeps both of two writers’ changes to different fields', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);

      await fresh.slices.update(slice, { ...slice, name: 'renamed' });
      await fresh.slices.update(slice, { ...slice, usedBytes: 77 });

      const stored = await fresh.slices.get(fresh.accountId, slice.id);
      expect(stored?.name).toBe('renamed');
      expect(stored?.usedBytes).toBe(77);
    });

    it('clears a field set to null', async () => {
      const slice = aSlice({
        accountId: fresh.accountId,
        error: { code: 'SLICE_BUILD_FAILED', message: 'y' },
      });
      await fresh.slices.create(slice);

      await fresh.slices.update(slice, { ...slice, error: null });

      expect((await fresh.slices.get(fresh.accountId, slice.id))?.error).toBeNull();
    });
  });

  describe('acquireLock', () => {
    it('makes an active slice busy and records the operation and the power state', async () => {
      const slice = aSlice({ accountId: fresh.accountId, power: 'on' });
      await fresh.slices.create(slice);
      const operationId = anId('operation');

      const locked = await lockFor(slice, 'snapshot.create', operationId);

      const expected = lockSlice(slice, { operationId, operationType: 'snapshot.create' }, T1);
      expect(locked).toEqual(expected);
      expect(await fresh.slices.get(fresh.accountId, slice.id)).toEqual(expected);
      expect(expected.lock).toEqual({ operationId, operationType: 'snapshot.create', power: 'on' });
    });

    it('refuses a second operation with SliceBusyError naming the holder', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);
      const holder = anId('operation');
      await lockFor(slice, 'snapshot.create', holder);

      const second = lockFor(slice, 'slice.power');

      await expect(second).rejects.toBeInstanceOf(SliceBusyError);
      await expect(second).rejects.toMatchObject({ holder: { operationId: holder } });
    });

    it('gives the holder the slice unchanged when it asks again', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);
      const operation = { operationId: anId('operation'), operationType: 'slice.power' as const };
      const request = { accountId: fresh.accountId, sliceId: slice.id, ...operation };
      const first = await fresh.slices.acquireLock({ ...request, now: T1 });

      const again = await fresh.slices.acquireLock({ ...request, now: '2025-03-02T00:00:00.000Z' });

      expect(again).toEqual(first);
      expect(await fresh.slices.get(fresh.accountId, slice.id)).toEqual(first);
    });

    it('lets exactly one of many simultaneous operations take the lock', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);

      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, () => lockFor(slice, 'snapshot.create')),
      );

      const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
      const refused = attempts.filter(
        (attempt) => attempt.status === 'rejected' && attempt.reason instanceof SliceBusyError,
      );
      expect(won).toHaveLength(1);
      expect(refused).toHaveLength(7);
    });

    it('refuses a slice that is not active', async () => {
      const slice = aSlice({ accountId: fresh.accountId, status: 'building' });
      await fresh.slices.create(slice);

      const attempt = lockFor(slice, 'snapshot.create');

      await expect(attempt).rejects.toBeInstanceOf(IllegalSliceTransitionError);
      expect((await fresh.slices.get(fresh.accountId, slice.id))?.status).toBe('building');
    });

    it('answers SliceNotFoundError for a missing or foreign slice', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);
      const operation = { operationId: anId('operation'), operationType: 'slice.power' as const };

      const lock = (accountId: string, sliceId: string) =>
        fresh.slices.acquireLock({ accountId, sliceId, ...operation, now: T1 });
      const foreign = () => lock(anAccountId(), slice.id);
      const missing = () => lock(fresh.accountId, anId('slice'));

      await expect(foreign()).rejects.toBeInstanceOf(SliceNotFoundError);
      await expect(missing()).rejects.toBeInstanceOf(SliceNotFoundError);
      expect((await fresh.slices.get(fresh.accountId, slice.id))?.status).toBe('active');
    });
  });

  describe('releaseLock', () => {
    it('makes the slice active again when the holder releases it', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);
      const operationId = anId('operation');
      await lockFor(slice, 'slice.power', operationId);

      const released = await releaseBy(slice.id, operationId);

      expect(released).toEqual({ ...slice, updatedAt: T1 });
      expect(await fresh.slices.get(fresh.accountId, slice.id)).toEqual(released);
    });

    it('refuses anyone but the holder and keeps the lock', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);
      const holder = anId('operation');
      const locked = await lockFor(slice, 'slice.power', holder);

      const intruder = releaseBy(slice.id, anId('operation'));

      await expect(intruder).rejects.toBeInstanceOf(SliceLockNotHeldError);
      expect(await fresh.slices.get(fresh.accountId, slice.id)).toEqual(locked);
    });

    it('refuses to release a lock that is not held', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);

      const release = releaseBy(slice.id, anId('operation'));

      await expect(release).rejects.toBeInstanceOf(SliceLockNotHeldError);
    });

    it('answers SliceNotFoundError for a missing slice', async () => {
      const release = releaseBy(anId('slice'), anId('operation'));

      await expect(release).rejects.toBeInstanceOf(SliceNotFoundError);
    });
  });

  describe('list', () => {
    it('lists the account’s slices newest first, without deleted ones or other accounts’', async () => {
      const older = aSlice({ accountId: fresh.accountId });
      const gone = aSlice({ accountId: fresh.accountId });
      const newer = aSlice({ accountId: fresh.accountId });
      const foreign = aSlice({ accountId: anAccountId() });
      for (const slice of [older, gone, newer, foreign]) await fresh.slices.create(slice);
      await fresh.slices.update(gone, markSliceDeleted({ ...gone, status: 'error' }, T1));

      const page = await fresh.slices.list(fresh.accountId, {}, { limit: 50 });

      expect(page.items.map((slice) => slice.id)).toEqual([newer.id, older.id]);
      expect(page.nextCursor).toBeNull();
    });

    it('refuses a cursor issued for another label selector', async () => {
      for (let i = 0; i < 3; i++) await fresh.slices.create(aSlice({ accountId: fresh.accountId }));
      const { nextCursor } = await fresh.slices.list(fresh.accountId, {}, { limit: 1 });

      const attempt = fresh.slices.list(
        fresh.accountId,
        { labelSelector: parseLabelSelector('env') },
        { limit: 1, cursor: nextCursor },
      );

      await expect(attempt).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('labels and delete protection', () => {
    const DELETION = { operationId: 'op_delete', operationType: 'slice.delete' as const };

    it('keeps labels and protection as written', async () => {
      const slice = aSlice({ accountId: fresh.accountId, labels: { env: 'prod', 'a.b/c': '' } });
      await fresh.slices.create(slice);
      const edited = editSlice(slice, { labels: { env: 'dev' }, deleteProtected: true }, T1);

      await fresh.slices.update(slice, edited);

      expect(await fresh.slices.get(fresh.accountId, slice.id)).toEqual(edited);
    });

    it('keeps a deletion from locking a protected slice, and lets others lock it', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);
      await fresh.slices.update(slice, editSlice(slice, { deleteProtected: true }, T1));

      const onTheSlice = { accountId: fresh.accountId, sliceId: slice.id, now: T1 };
      const deletion = fresh.slices.acquireLock({ ...onTheSlice, ...DELETION });

      await expect(deletion).rejects.toBeInstanceOf(SliceDeleteProtectedError);
      expect(await fresh.slices.get(fresh.accountId, slice.id)).toMatchObject({
        status: 'active',
        lock: null,
      });
      const power = await fresh.slices.acquireLock({
        ...onTheSlice,
        operationId: 'op_power',
        operationType: 'slice.power',
      });
      expect(power).toMatchObject({ status: 'busy', deleteProtected: true });
    });

    it('lets exactly one of protection and a deletion win when they race', async () => {
      const slice = aSlice({ accountId: fresh.accountId });
      await fresh.slices.create(slice);

      const outcomes = await Promise.allSettled([
        fresh.slices.update(slice, editSlice(slice, { deleteProtected: true }, T1)),
        fresh.slices.acquireLock({
          accountId: fresh.accountId,
          sliceId: slice.id,
          ...DELETION,
          now: T1,
        }),
      ]);

      const stored = await fresh.slices.get(fresh.accountId, slice.id);
      const deleting = stored?.lock?.operationType === 'slice.delete';
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(deleting).toBe(!stored?.deleteProtected);
    });

    it('refuses to delete a failed slice protected since it was read', async () => {
      const failed = aSlice({ accountId: fresh.accountId, status: 'error' });
      await fresh.slices.create(failed);
      await fresh.slices.update(failed, editSlice(failed, { deleteProtected: true }, T1));

      const stale = fresh.slices.update(failed, markSliceDeleted(failed, T1));

      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
    });

    it('refuses a label merge based on labels changed meanwhile', async () => {
      const slice = aSlice({ accountId: fresh.accountId, labels: { env: 'prod' } });
      await fresh.slices.create(slice);
      await fresh.slices.update(slice, editSlice(slice, { labels: { env: 'prod', a: '1' } }, T1));

      const stale = fresh.slices.update(
        slice,
        editSlice(slice, { labels: { env: 'prod', b: '2' } }, T1),
      );

      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect((await fresh.slices.get(fresh.accountId, slice.id))?.labels).toEqual({
        env: 'prod',
        a: '1',
      });
    });
  });
  describe('list with a label selector', () => {
    it('lists only what the selector selects, of this account only', async () => {
      const prod = aSlice({ accountId: fresh.accountId, labels: { env: 'prod' } });
      const dev = aSlice({ accountId: fresh.accountId, labels: { env: 'dev' } });
      const foreign = aSlice({ accountId: anAccountId(), labels: { env: 'prod' } });
      for (const slice of [prod, dev, foreign]) await fresh.slices.create(slice);

      const page = await fresh.slices.list(
        fresh.accountId,
        { labelSelector: parseLabelSelector('env notin (dev)') },
        { limit: 50 },
      );

      expect(page.items.map((slice) => slice.id)).toEqual([prod.id]);
    });

    it('walks sparse matches in full pages, no duplicate and no gap', async () => {
      const created = Array.from({ length: 90 }, (_, i) =>
        aSlice({
          accountId: fresh.accountId,
          labels: i % 17 === 3 ? { role: 'db' } : { role: 'web' },
        }),
      );
      await inBatches(created.map((slice) => () => fresh.slices.create(slice)));
      const expected = created
        .filter((_, i) => i % 17 === 3)
        .map((slice) => slice.id)
        .reverse();

      const walk = await walkPages(
        (page) =>
          fresh.slices.list(
            fresh.accountId,
            { labelSelector: parseLabelSelector('role=db') },
            page,
          ),
        2,
      );

      expect(walk.ids).toEqual(expected);
      expect(walk.pageSizes).toEqual([2, 2, 2]);
    });
  });
}
