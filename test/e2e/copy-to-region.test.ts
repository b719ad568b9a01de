import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationView } from '../../core/presentation/operation-view.ts';
import type { SliceView } from '../../core/presentation/slice-view.ts';
import type { SnapshotView } from '../../core/presentation/snapshot-view.ts';
import { call, local, run, tokenFor, until } from '../support/e2e-client.ts';

interface Accepted {
  snapshot: SnapshotView;
  operation: OperationView;
}

/**
 * Copies of snapshots to another region through npm start: fra1's and nyc1's agents, each
 * region's own bucket, the real workflows. What nyc1 builds from a copy is the disk fra1 had.
 */
describe('copying a snapshot to another region through npm start', () => {
  let token: string;
  let disks: string;

  beforeAll(async () => {
    token = await tokenFor(`acct-copy-${randomUUID().slice(0, 8)}`);
    disks = mkdtempSync(join(tmpdir(), 'e2e-copy-disks-'));
  });

  afterAll(() => rmSync(disks, { recursive: true, force: true }));

  async function operationDone(operationId: string): Promise<OperationView> {
    return until(
      async () => (await call(token, 'GET', `/v1/operations/${operationId}`)).body as OperationView,
      (operation) => operation.status !== 'running',
    );
  }

  async function newSlice(body: Record<string, unknown>): Promise<SliceView> {
    const created = await call(token, 'POST', '/v1/slices', { body: { diskGB: 1, ...body } });
    const { slice, operation } = created.body as { slice: SliceView; operation: OperationView };
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    return slice;
  }

  async function writeRandom(sliceId: string, offsetMiB: number, countMiB: number) {
    await run('dd', [
      'if=/dev/urandom',
      `of=${await local('disk-path', sliceId)}`,
      'bs=1M',
      `seek=${offsetMiB}`,
      `count=${countMiB}`,
      'conv=notrunc',
      'status=none',
    ]);
  }

  async function keepDisk(sliceId: string): Promise<string> {
    const kept = join(disks, `${sliceId}-${randomUUID().slice(0, 8)}.raw`);
    await run('cp', ['--sparse=always', await local('disk-path', sliceId), kept]);
    return kept;
  }

  async function sameBytes(path: string, sliceId: string): Promise<boolean> {
    return run('cmp', ['--silent', path, await local('disk-path', sliceId)]).then(
      () => true,
      () => false,
    );
  }

  async function snapshotOf(sliceId: string, name: string): Promise<SnapshotView> {
    const accepted = await call(token, 'POST', `/v1/slices/${sliceId}/snapshots`, {
      body: { name },
    });
    const { snapshot, operation } = accepted.body as Accepted;
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    return (await call(token, 'GET', `/v1/snapshots/${snapshot.id}`)).body as SnapshotView;
  }

  /** Copies the snapshot to nyc1 and waits for the copy's operation to end. */
  async function copyToNyc1(snapshotId: string, name?: string) {
    const accepted = await call(token, 'POST', `/v1/snapshots/${snapshotId}/copy`, {
      body: { region: 'nyc1', ...(name ? { name } : {}) },
    });
    expect(accepted.status).toBe(202);
    const { snapshot, operation } = accepted.body as Accepted;
    const ended = await operationDone(operation.id);
    const copy = (await call(token, 'GET', `/v1/snapshots/${snapshot.id}`)).body as SnapshotView;
    return { accepted: snapshot, ended, copy };
  }

  it('builds and restores a nyc1 slice from a copy of a fra1 snapshot, byte for byte, and sends only new chunks the next time', async () => {
    const source = await newSlice({ name: 'copy-source', region: 'fra1' });
    await writeRandom(source.id, 0, 9);
    await writeRandom(source.id, 300, 4);
    const first = await snapshotOf(source.id, 'before-move');
    const firstDisk = await keepDisk(source.id);

    const one = await copyToNyc1(first.id, 'moved');
    const built = await newSlice({ name: 'copy-target', region: 'nyc1', snapshotId: one.copy.id });
    const builtSame = await sameBytes(firstDisk, built.id);
    await writeRandom(built.id, 0, 16);
    const restore = await call(token, 'POST', `/v1/snapshots/${one.copy.id}/restore`, {
      body: { confirm: true, sliceId: built.id },
    });
    const restored = await operationDone(
      (restore.body as { operation: OperationView }).operation.id,
    );

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
    expect(await sameBytes(firstDisk, built.id)).toBe(true);

    // One 4 MiB chunk of the disk changes; the next copy sends that chunk and nothing else.
    await writeRandom(source.id, 301, 1);
    const second = await snapshotOf(source.id, 'after-change');
    const secondDisk = await keepDisk(source.id);
    const changes = await call(token, 'GET', `/v1/snapshots/${second.id}/changes?base=${first.id}`);
    const two = await copyToNyc1(second.id);
    const fromSecond = await newSlice({
      name: 'copy-next',
      region: 'nyc1',
      snapshotId: two.copy.id,
    });

    expect(changes.body).toMatchObject({ ranges: [{ offset: 300 * 1024 * 1024 }] });
    expect(two.ended).toMatchObject({ status: 'succeeded' });
    expect(two.ended.bytesToTransfer).toBeGreaterThan(0);
    // The changed chunk is a quarter of the first copy's four random chunks (plus one of zeros
    // and noise): far less than half of what the first copy sent.
    expect(two.ended.bytesToTransfer).toBeLessThan((one.ended.bytesToTransfer ?? 0) / 2);
    expect(two.copy).toMatchObject({ status: 'available', name: 'after-change' });
    expect(await sameBytes(secondDisk, fromSecond.id)).toBe(true);
  });

  it('refuses a copy to its own region (422), to an unknown region (400), and to another account (404)', async () => {
    const slice = await newSlice({ name: 'copy-refusals', region: 'fra1' });
    await writeRandom(slice.id, 0, 1);
    const snapshot = await snapshotOf(slice.id, 'stay');
    const stranger = await tokenFor(`acct-copy-other-${randomUUID().slice(0, 8)}`);
    const inNyc1 = async () =>
      (
        (await call(token, 'GET', '/v1/snapshots?region=nyc1&limit=100')).body as {
          items: SnapshotView[];
        }
      ).items.length;
    const before = await inNyc1();

    const same = await call(token, 'POST', `/v1/snapshots/${snapshot.id}/copy`, {
      body: { region: 'fra1' },
    });
    const unknown = await call(token, 'POST', `/v1/snapshots/${snapshot.id}/copy`, {
      body: { region: 'mars1' },
    });
    const foreign = await call(stranger, 'POST', `/v1/snapshots/${snapshot.id}/copy`, {
      body: { region: 'nyc1' },
    });

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
