import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { MarkTallyStore } from '../../core/ports/mark-tally-store.ts';
import type { ChunkTallyState } from '../../core/storage/chunk-tally.ts';
import { freshPerTest } from './describe-contract.ts';

const TALLY: ChunkTallyState = {
  snapshots: [
    { snapshotId: 'snp_1', sliceId: 'slc_1', usedBytes: 10, billed: true, storedBytes: 7 },
  ],
  slices: ['slc_1'],
  chunks: [['acct/chunks/a', 7, 0, 0]],
};

const HOUR = 3_600_000;

/** The behaviour every MarkTallyStore shares; its writes are stamped with the time of day. */
export function markTallyStoreContract(make: () => { readonly tallies: MarkTallyStore }): void {
  const fresh = freshPerTest(() => ({ ...make(), account: `acct-${randomUUID()}` }));

  it('gives back the tally a pass saved, and none for another pass or account', async () => {
    await fresh.tallies.save(fresh.account, 'mrk_1', TALLY);

    expect(await fresh.tallies.load(fresh.account, 'mrk_1')).toEqual(TALLY);
    expect(await fresh.tallies.load(fresh.account, 'mrk_2')).toBeNull();
    expect(await fresh.tallies.load(`${fresh.account}-other`, 'mrk_1')).toBeNull();
  });

  it('deletes a tally, and a tally not stored without complaint', async () => {
    await fresh.tallies.save(fresh.account, 'mrk_1', TALLY);

    await fresh.tallies.delete(fresh.account, 'mrk_1');
    await fresh.tallies.delete(fresh.account, 'mrk_1');

    expect(await fresh.tallies.load(fresh.account, 'mrk_1')).toBeNull();
  });

  it("deletes the account's tallies written before a time, and no other", async () => {
    await fresh.tallies.save(fresh.account, 'mrk_1', TALLY);
    await fresh.tallies.save(`${fresh.account}-other`, 'mrk_1', TALLY);

    const beforeAnHourAgo = await fresh.tallies.deleteWrittenBefore(
      fresh.account,
      new Date(Date.now() - HOUR),
    );
    const beforeAnHourHence = await fresh.tallies.deleteWrittenBefore(
      fresh.account,
      new Date(Date.now() + HOUR),
    );

    expect([beforeAnHourAgo, beforeAnHourHence]).toEqual([0, 1]);
    expect(await fresh.tallies.load(fresh.account, 'mrk_1')).toBeNull();
    expect(await fresh.tallies.load(`${fresh.account}-other`, 'mrk_1')).toEqual(TALLY);
  });
}
