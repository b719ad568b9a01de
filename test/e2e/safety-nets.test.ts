import { describe, expect, it } from 'vitest';
import { E2eAccount, LocalDisks } from '../support/e2e-account.ts';

interface Operation {
  id: string;
  type: string;
  status: string;
  error: { code: string; message: string } | null;
  undoSnapshotId?: string | null;
  undoUntil?: string | null;
  undoError?: { code: string; message: string } | null;
  finalSnapshotId?: string | null;
}
interface Snapshot {
  id: string;
  name: string;
  status: string;
  purgeAt: string | null;
  labels: Record<string, string>;
}

/** A restore and its undo through `npm start`, with the real agent's disks. */
describe('undo of a restore and final snapshot on delete, through npm start', () => {
  const account = E2eAccount.perFile('undo');
  const other = E2eAccount.perFile('undo-other');
  const disks = LocalDisks.perFile();

  const done = async (operationId: string) =>
    (await account.operationDone(operationId)) as unknown as Operation;

  it('restores, keeps the replaced disk in the recycle bin, and the undo puts it back byte for byte', async () => {
    const slice = await account.activeSlice({ name: 'app' });
    await disks.writeRandom(slice.id, [0, 24]);
    const snapshot = await account.snapshotOf(slice.id, { name: 'before-migration' });
    await disks.writeRandom(slice.id, [8, 16], [600, 8]);
    const migrated = await disks.keep(slice.id);

    const accepted = await account.call('POST', `/v1/snapshots/${snapshot.id}/restore`, {
      body: { confirm: true },
    });
    const restore = await done((accepted.body as { operation: Operation }).operation.id);

    expect(restore).toMatchObject({ status: 'succeeded', undoError: null });
    expect(await disks.same(migrated, slice.id)).toBe(false);
    const kept = (await account.call('GET', `/v1/snapshots/${restore.undoSnapshotId}`))
      .body as Snapshot;
    expect(kept).toMatchObject({
      status: 'recycled',
      name: expect.stringMatching(/^app-before-restore-\d+$/),
      labels: { 'slice-snapshots/auto': 'pre-restore' },
      purgeAt: restore.undoUntil,
    });
    const bin = (await account.call('GET', '/v1/snapshots?status=recycled')).body as {
      items: Snapshot[];
    };
    expect(bin.items.map((each) => each.id)).toContain(kept.id);

    const foreign = await other.call('POST', `/v1/operations/${restore.id}/undo`, {
      body: { confirm: true },
    });
    const undone = await account.call('POST', `/v1/operations/${restore.id}/undo`, {
      body: { confirm: true },
    });
    const undo = await done((undone.body as { operation: Operation }).operation.id);

    expect(foreign).toMatchObject({ status: 404, body: { code: 'OPERATION_NOT_FOUND' } });
    expect(undone.status).toBe(202);
    expect(undo).toMatchObject({ type: 'slice.restore', status: 'succeeded', error: null });
    expect(await disks.same(migrated, slice.id)).toBe(true);
    expect((await account.call('GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      status: 'active',
      power: 'on',
    });
  });
  it("a deleted slice's final snapshot makes a new slice byte for byte like it", async () => {
    const slice = await account.activeSlice({ name: 'retired' });
    await disks.writeRandom(slice.id, [0, 16], [900, 4]);
    const last = await disks.keep(slice.id);

    const foreign = await other.call('DELETE', `/v1/slices/${slice.id}?finalSnapshot=true`);
    const accepted = await account.call('DELETE', `/v1/slices/${slice.id}?finalSnapshot=true`);
    const deletion = await done((accepted.body as { operation: Operation }).operation.id);

    expect(foreign).toMatchObject({ status: 404, body: { code: 'SLICE_NOT_FOUND' } });
    expect(deletion).toMatchObject({ status: 'succeeded', finalSnapshotId: expect.any(String) });
    const final = (await account.call('GET', `/v1/snapshots/${deletion.finalSnapshotId}`))
      .body as Snapshot;
    expect(final).toMatchObject({
      status: 'available',
      name: expect.stringMatching(/^retired-final-\d+$/),
    });
    expect((await account.call('GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      status: 'deleted',
    });
    const revived = await account.activeSlice({ name: 'revived', snapshotId: final.id });
    expect(await disks.same(last, revived.id)).toBe(true);
  });
});
