import { describe, expect, it } from 'vitest';
import type { OperationView } from '../../core/presentation/operation-view.ts';
import type { SnapshotView } from '../../core/presentation/snapshot-view.ts';
import { E2eAccount, LocalDisks } from '../support/e2e-account.ts';

/** The product docs' three uses of a snapshot, through `npm start`, with the real agent's disks. */
describe('using a snapshot through npm start', () => {
  const account = E2eAccount.perFile('use');
  const disks = LocalDisks.perFile();

  it('failsafe: a snapshot before a risky change puts the damaged disk back byte for byte', async () => {
    const slice = await account.activeSlice({ name: 'failsafe' });
    await disks.writeRandom(slice.id, [0, 48], [700, 16]);
    const snapshot = await account.snapshotOf(slice.id, { name: 'before-upgrade' });
    const good = await disks.keep(slice.id);
    await disks.writeRandom(slice.id, [8, 32]);

    const damaged = await disks.same(good, slice.id);
    const accepted = await account.call('POST', `/v1/snapshots/${snapshot.id}/restore`, {
      body: { confirm: true },
    });
    const { operation } = accepted.body as { operation: OperationView };

    expect(damaged).toBe(false);
    expect(accepted.status).toBe(202);
    expect(await account.operationDone(operation.id)).toMatchObject({
      status: 'succeeded',
      error: null,
    });
    expect(await disks.same(good, slice.id)).toBe(true);
    expect((await account.call('GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      status: 'active',
      power: 'on',
    });
  });

  it('golden image: three new slices from one snapshot, each identical to it', async () => {
    const source = await account.activeSlice({ name: 'golden-source' });
    await disks.writeRandom(source.id, [0, 32], [512, 8]);
    const snapshot = await account.snapshotOf(source.id, { name: 'golden' });
    const golden = await disks.keep(source.id);

    const copies = await Promise.all(
      ['web-a', 'web-b', 'web-c'].map((name) =>
        account.activeSlice({ name, snapshotId: snapshot.id }),
      ),
    );

    for (const copy of copies) {
      expect(copy).toMatchObject({ status: 'active', power: 'on' });
      expect(await disks.same(golden, copy.id)).toBe(true);
    }
    expect(new Set(copies.map((copy) => copy.id)).size).toBe(3);
  });

  it('archive: the slice deleted, its snapshot stays listed and billed, and a new slice from it is identical', async () => {
    const slice = await account.activeSlice({ name: 'to-archive' });
    // 128 MiB: enough for a month of it to cost a cent or more.
    await disks.writeRandom(slice.id, [100, 128]);
    const snapshot = await account.snapshotOf(slice.id, { name: 'archive' });
    const archived = await disks.keep(slice.id);

    const deletion = await account.call('DELETE', `/v1/slices/${slice.id}`);
    const { operation } = deletion.body as { operation: OperationView };
    expect(await account.operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    const listed = (await account.call('GET', `/v1/snapshots?sliceId=${slice.id}`)).body as {
      items: SnapshotView[];
    };
    const month = new Date().toISOString().slice(0, 7);
    const charges = (await account.call('GET', `/v1/billing/charges?month=${month}`)).body as {
      lines: { snapshotId: string }[];
    };
    const revived = await account.activeSlice({ name: 'revived', snapshotId: snapshot.id });

    expect((await account.call('GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      status: 'deleted',
    });
    expect(listed.items.map((each) => each.id)).toEqual([snapshot.id]);
    expect(listed.items[0]).toMatchObject({ status: 'available' });
    expect(listed.items[0]?.monthlyCost.amount).not.toBe('0.00');
    expect(charges.lines.map((line) => line.snapshotId)).toContain(snapshot.id);
    expect(await disks.same(archived, revived.id)).toBe(true);
  });
});
