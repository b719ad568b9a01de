import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import type { MarkTallyStore } from '../../core/ports/mark-tally-store.ts';
import type { ChunkTallyState } from '../../core/storage/chunk-tally.ts';

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
  let fixture: { readonly tallies: MarkTallyStore };
  let account: string;

  beforeEach(() => {
    fixture = make();
    account = `acct-${randomUUID()}`;
  });

  it('gives back the tally a pass saved, and none for another pass or account', async () => {
    await fixture.tallies.save(account, 'mrk_1', TALLY);

    expect(await fixture.tallies.load(account, 'mrk_1')).toEqual(TALLY);
    expect(await fixture.tallies.load(account, 'mrk_2')).toBeNull();
    expect(await fixture.tallies.load(`${account}-other`, 'mrk_1')).toBeNull();
  });

  it('deletes a tally, and a tally not stored without complaint', async () => {
    await fixture.tallies.save(account, 'mrk_1', TALLY);

    await fixture.tallies.delete(account, 'mrk_1');
    await fixture.tallies.delete(account, 'mrk_1');

    expect(await fixture.tallies.load(account, 'mrk_1')).toBeNull();
  });

  it("deletes the account's tallies written before a time, and no other", async () => {
    await fixture.tallies.save(account, 'mrk_1', TALLY);
    await fixture.tallies.save(`${account}-other`, 'mrk_1', TALLY);

    const beforeAnHourAgo = await fixture.tallies.deleteWrittenBefore(
      account,
      new Date(Date.now() - HOUR),
    );
    const beforeAnHourHence = await fixture.tallies.deleteWrittenBefore(
      account,
      new Date(Date.now() + HOUR),
    );

    expect([beforeAnHourAgo, beforeAnHourHence]).toEqual([0, 1]);
    expect(await fixture.tallies.load(account, 'mrk_1')).toBeNull();
    expect(await fixture.tallies.load(`${account}-other`, 'mrk_1')).toEqual(TALLY);
  });
}
