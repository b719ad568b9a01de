import { describe, expect, it } from 'vitest';
import type { OperationView } from '../../core/presentation/operation-view.ts';
import type { SnapshotView } from '../../core/presentation/snapshot-view.ts';
import { type Accepted, E2eAccount, LocalDisks } from '../support/e2e-account.ts';

/**
 * Copies of snapshots to another region through npm start: fra1's and nyc1's agents, each
 * region's own bucket, the real workflows. What nyc1 builds from a copy is the disk fra1 had.
 */
describe('copying a snapshot to another region through npm start', () => {
  const account = E2eAccount.perFile('copy');
  const disks = LocalDisks.perFile();

  /** Copies the snapshot to nyc1 and waits for the copy's operation to end. */
  async function copyToNyc1(snapshotId: string, name?: string) {
    const accepted = await account.call('POST', `/v1/snapshots/${snapshotId}/copy`, {
      body: { region: 'nyc1', ...(name ? { name } : {}) },
    });
    expect(accepted.status).toBe(202);
    const { snapshot, operation } = accepted.body as Accepted<SnapshotView>;
    const ended = await account.operationDone(operation.id);
    const copy = await account.get<SnapshotView>(`/v1/snapshots/${snapshot.id}`);
    return { accepted: snapshot, ended, copy };
  }

  it('builds and restores a nyc1 slice from a copy of a fra1 snapshot, byte for byte, and sends only new chunks the next time', async () => {
    const source = await account.activeSlice({ name: 'copy-source' });
    await disks.writeRandom(source.id, [0, 9], [300, 4]);
    const first = await account.snapshotOf(source.id, { name: 'before-move' });
    const firstDisk = await disks.keep(source.id);

    const one = await copyToNyc1(first.id, 'moved');
    const built = await account.activeSlice({
      name: 'copy-target',
      region: 'nyc1',
      snapshotId: one.copy.id,
    });
    const builtSame = await disks.same(firstDisk, built.id);
    await disks.writeRandom(built.id, [0, 16]);
    const restore = await account.call('POST', `/v1/snapshots/${one.copy.id}/restore`, {
      body: { confirm: true, sliceId: built.id },
    });
    const { operation } = restore.body as { operation: OperationView };
    const restored = await account.operationDone(operation.id);

    expect(one.accepted).toMatchObject({
      status: 'copying',
      region: 'nyc1',
      name: 'moved',
      copiedFrom: { snapshotId: first.id, region: 'fra1' },
    });
    expect(one.ended).toMatchObject({ status: 'succeeded', type: 'snapshot.copy', error: null });
    expect(one.ended.bytesToTransfer).toBeGreaterThan(0);
    expect(one.ended.progress).toMatchObject({ percent: 100 });
    expect(one.ended.progress.bytesTotal).toBe(one.ended.bytesToTransfer);
    expect(one.copy).toMatchObject({
      status: 'available',
      region: 'nyc1',
      sizeBytes: first.sizeBytes,
      diskBytes: first.diskBytes,
      sliceId: source.id,
    });
    expect(builtSame).toBe(true);
    expect(restored).toMatchObject({ status: 'succeeded' });
    expect(await disks.same(firstDisk, built.id)).toBe(true);

    // One 4 MiB chunk of the disk changes; the next copy sends that chunk and nothing else.
    await disks.writeRandom(source.id, [301, 1]);
    const second = await account.snapshotOf(source.id, { name: 'after-change' });
    const secondDisk = await disks.keep(source.id);
    const changes = await account.get(`/v1/snapshots/${second.id}/changes?base=${first.id}`);
    const two = await copyToNyc1(second.id);
    const fromSecond = await account.activeSlice({
      name: 'copy-next',
      region: 'nyc1',
      snapshotId: two.copy.id,
    });

    expect(changes).toMatchObject({ ranges: [{ offset: 300 * 1024 * 1024 }] });
    expect(two.ended).toMatchObject({ status: 'succeeded' });
    expect(two.ended.bytesToTransfer).toBeGreaterThan(0);
    // The changed chunk is a quarter of the first copy's four random chunks (plus one of zeros
    // and noise): far less than half of what the first copy sent.
    expect(two.ended.bytesToTransfer).toBeLessThan((one.ended.bytesToTransfer ?? 0) / 2);
    expect(two.copy).toMatchObject({ status: 'available', name: 'after-change' });
    expect(await disks.same(secondDisk, fromSecond.id)).toBe(true);
  });

  it('refuses a copy to its own region (422), to an unknown region (400), and to another account (404)', async () => {
    const slice = await account.activeSlice({ name: 'copy-refusals' });
    await disks.writeRandom(slice.id, [0, 1]);
    const snapshot = await account.snapshotOf(slice.id, { name: 'stay' });
    const stranger = await E2eAccount.named('copy-other');
    const inNyc1 = async () =>
      (await account.get<{ items: SnapshotView[] }>('/v1/snapshots?region=nyc1&limit=100')).items
        .length;
    const before = await inNyc1();
    const copy = (who: E2eAccount, region: string) =>
      who.call('POST', `/v1/snapshots/${snapshot.id}/copy`, { body: { region } });

    const same = await copy(account, 'fra1');
    const unknown = await copy(account, 'mars1');
    const foreign = await copy(stranger, 'nyc1');

    expect(same.status).toBe(422);
    expect(same.body).toMatchObject({ code: 'SNAPSHOT_ALREADY_IN_REGION' });
    expect(same.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_REGION' });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    expect(await inNyc1()).toBe(before);
  });
});
