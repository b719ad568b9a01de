import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { StorageRepository } from '../../core/ports/storage-repository.ts';
import type { AccountStorage } from '../../core/storage/account-storage.ts';
import { freshPerTest } from './describe-contract.ts';

const EARLY = '2026-03-01T10:00:00.000Z';
const LATE = '2026-03-01T11:00:00.000Z';

function figures(accountId: string, asOf: string, storedBytes = 3_000): AccountStorage {
  return {
    accountId,
    asOf,
    logicalBytes: 10_000,
    storedBytes,
    billedBytes: 4_000,
    snapshots: {
      snp_1: { storedBytes: 2_000, exclusiveBytes: 1_000 },
      snp_2: { storedBytes: 2_000, exclusiveBytes: 1_000 },
    },
    bySlice: [
      {
        sliceId: 'slc_1',
        snapshots: 2,
        logicalBytes: 10_000,
        billedBytes: 4_000,
        exclusiveBytes: 3_000,
      },
    ],
  };
}

/** The behaviour every StorageRepository shares. */
export function storageRepositoryContract(make: () => StorageRepository): void {
  const fresh = freshPerTest(() => ({ storage: make(), account: `acct-${randomUUID()}` }));

  it('answers no figures before any pass stored some', async () => {
    expect(await fresh.storage.get(fresh.account)).toBeNull();
  });

  it("stores a pass's figures whole, for the account alone", async () => {
    await fresh.storage.save(figures(fresh.account, EARLY));

    expect(await fresh.storage.get(fresh.account)).toEqual(figures(fresh.account, EARLY));
    expect(await fresh.storage.get(`${fresh.account}-other`)).toBeNull();
  });

  it('keeps the figures of a pass that began later than the one saving', async () => {
    await fresh.storage.save(figures(fresh.account, LATE, 5_000));

    await fresh.storage.save(figures(fresh.account, EARLY, 3_000));

    expect((await fresh.storage.get(fresh.account))?.storedBytes).toBe(5_000);
  });

  it("stores the figures of snapshots in several parts, and a later pass's fewer in their place", async () => {
    const many = (count: number, asOf: string): AccountStorage => ({
      ...figures(fresh.account, asOf),
      snapshots: Object.fromEntries(
        Array.from({ length: count }, (_, index) => [
          `snp_01JNZ5Y1Q00000000000${String(index).padStart(6, '0')}`,
          { storedBytes: 4_194_304 + index, exclusiveBytes: index },
        ]),
      ),
    });

    // Two parts of 4,000; DynamoDB Local fails larger transactions now and then.
    await fresh.storage.save(many(5_000, EARLY));
    const large = await fresh.storage.get(fresh.account);
    await fresh.storage.save(many(3, LATE));
    const small = await fresh.storage.get(fresh.account);

    expect(large).toEqual(many(5_000, EARLY));
    expect(small).toEqual(many(3, LATE));
  });

  it('lets one request through while a pass is pending, and another once it has begun', async () => {
    const first = await fresh.storage.requestMark(fresh.account, EARLY, LATE);
    const second = await fresh.storage.requestMark(fresh.account, EARLY, LATE);
    await fresh.storage.markBegun(fresh.account);
    const third = await fresh.storage.requestMark(fresh.account, EARLY, LATE);

    expect([first, second, third]).toEqual([true, false, true]);
  });

  it('lets a request through once the pending one has lasted its time', async () => {
    await fresh.storage.requestMark(fresh.account, EARLY, LATE);

    expect(await fresh.storage.requestMark(fresh.account, LATE, '2026-03-01T12:00:00.000Z')).toBe(
      true,
    );
  });

  it('lets one pass sweep at a time, the same pass again, and another once the claim ended or went', async () => {
    const claim = (markId: string, now: string, until: string) =>
      fresh.storage.claimSweep({ accountId: fresh.account, markId, now, until });
    const first = await claim('mrk_1', EARLY, LATE);
    const other = await claim('mrk_2', EARLY, LATE);
    const same = await claim('mrk_1', EARLY, LATE);
    const afterEnd = await claim('mrk_2', LATE, '2026-03-01T12:00:00.000Z');
    await fresh.storage.releaseSweep(fresh.account, 'mrk_1');
    const stillHeld = await claim('mrk_3', LATE, LATE);
    await fresh.storage.releaseSweep(fresh.account, 'mrk_2');
    const released = await claim('mrk_3', LATE, LATE);

    expect([first, other, same, afterEnd, stillHeld, released]).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
    ]);
  });

  it('lists the accounts that asked for a pass, in order, a page after another', async () => {
    const accounts = [`${fresh.account}-b`, `${fresh.account}-a`, `${fresh.account}-c`];
    for (const each of accounts) await fresh.storage.requestMark(each, EARLY, LATE);

    const listed: string[] = [];
    let after: string | null = `${fresh.account}-`;
    for (;;) {
      const page: readonly string[] = await fresh.storage.listAccounts(2, after);
      const mine = page.filter((each) => each.startsWith(fresh.account));
      listed.push(...mine);
      if (page.length < 2 || mine.length < page.length) break;
      after = page.at(-1) ?? null;
    }

    expect(listed).toEqual([...accounts].sort());
  });
}
