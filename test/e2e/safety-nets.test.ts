import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, local, run, tokenFor, until } from '../support/e2e-client.ts';

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
  let token: string;
  let otherToken: string;
  let copies: string;

  beforeAll(async () => {
    token = await tokenFor(`acct-undo-${randomUUID().slice(0, 8)}`);
    otherToken = await tokenFor(`acct-undo-other-${randomUUID().slice(0, 8)}`);
    copies = mkdtempSync(join(tmpdir(), 'e2e-undo-copies-'));
  });

  afterAll(() => rmSync(copies, { recursive: true, force: true }));

  async function done(operationId: string): Promise<Operation> {
    return until(
      async () => (await call(token, 'GET', `/v1/operations/${operationId}`)).body as Operation,
      (operation) => operation.status !== 'running',
    );
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

  async function copyOfDisk(sliceId: string): Promise<string> {
    const copy = join(copies, `${sliceId}-${randomUUID().slice(0, 8)}.raw`);
    await run('cp', ['--sparse=always', await local('disk-path', sliceId), copy]);
    return copy;
  }

  async function sameBytes(path: string, sliceId: string): Promise<boolean> {
    return run('cmp', ['--silent', path, await local('disk-path', sliceId)]).then(
      () => true,
      () => false,
    );
  }

  it('restores, keeps the replaced disk in the recycle bin, and the undo puts it back byte for byte', async () => {
    const created = await call(token, 'POST', '/v1/slices', {
      body: { name: 'app', region: 'fra1', diskGB: 1 },
    });
    const { slice, operation: build } = created.body as {
      slice: { id: string };
      operation: Operation;
    };
    expect(await done(build.id)).toMatchObject({ status: 'succeeded' });
    await writeRandom(slice.id, 0, 24);
    const taken = await call(token, 'POST', `/v1/slices/${slice.id}/snapshots`, {
      body: { name: 'before-migration' },
    });
    const { snapshot, operation: snapshotting } = taken.body as {
      snapshot: Snapshot;
      operation: Operation;
    };
    expect(await done(snapshotting.id)).toMatchObject({ status: 'succeeded' });
    await writeRandom(slice.id, 8, 16);
    await writeRandom(slice.id, 600, 8);
    const migrated = await copyOfDisk(slice.id);

    const accepted = await call(token, 'POST', `/v1/snapshots/${snapshot.id}/restore`, {
      body: { confirm: true },
    });
    const restore = await done((accepted.body as { operation: Operation }).operation.id);

    expect(restore).toMatchObject({ status: 'succeeded', undoError: null });
    expect(await sameBytes(migrated, slice.id)).toBe(false);
    const kept = (await call(token, 'GET', `/v1/snapshots/${restore.undoSnapshotId}`))
      .body as Snapshot;
    expect(kept).toMatchObject({
      status: 'recycled',
      name: expect.stringMatching(/^app-before-restore-\d+$/),
      labels: { 'slice-snapshots/auto': 'pre-restore' },
      purgeAt: restore.undoUntil,
    });
    const bin = (await call(token, 'GET', '/v1/snapshots?status=recycled')).body as {
      items: Snapshot[];
    };
    expect(bin.items.map((each) => each.id)).toContain(kept.id);

    const foreign = await call(otherToken, 'POST', `/v1/operations/${restore.id}/undo`, {
      body: { confirm: true },
    });
    const undone = await call(token, 'POST', `/v1/operations/${restore.id}/undo`, {
      body: { confirm: true },
    });
    const undo = await done((undone.body as { operation: Operation }).operation.id);

    expect(foreign).toMatchObject({ status: 404, body: { code: 'OPERATION_NOT_FOUND' } });
    expect(undone.status).toBe(202);
    expect(undo).toMatchObject({ type: 'slice.restore', status: 'succeeded', error: null });
    expect(await sameBytes(migrated, slice.id)).toBe(true);
    expect((await call(token, 'GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      status: 'active',
      power: 'on',
    });
  });
  it("a deleted slice's final snapshot makes a new slice byte for byte like it", async () => {
    const created = await call(token, 'POST', '/v1/slices', {
      body: { name: 'retired', region: 'fra1', diskGB: 1 },
    });
    const { slice, operation: build } = created.body as {
      slice: { id: string };
      operation: Operation;
    };
    expect(await done(build.id)).toMatchObject({ status: 'succeeded' });
    await writeRandom(slice.id, 0, 16);
    await writeRandom(slice.id, 900, 4);
    const last = await copyOfDisk(slice.id);

    const foreign = await call(otherToken, 'DELETE', `/v1/slices/${slice.id}?finalSnapshot=true`);
    const accepted = await call(token, 'DELETE', `/v1/slices/${slice.id}?finalSnapshot=true`);
    const deletion = await done((accepted.body as { operation: Operation }).operation.id);

    expect(foreign).toMatchObject({ status: 404, body: { code: 'SLICE_NOT_FOUND' } });
    expect(deletion).toMatchObject({ status: 'succeeded', finalSnapshotId: expect.any(String) });
    const final = (await call(token, 'GET', `/v1/snapshots/${deletion.finalSnapshotId}`))
      .body as Snapshot;
    expect(final).toMatchObject({
      status: 'available',
      name: expect.stringMatching(/^retired-final-\d+$/),
    });
    expect((await call(token, 'GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      status: 'deleted',
    });
    const revived = await call(token, 'POST', '/v1/slices', {
      body: { name: 'revived', region: 'fra1', diskGB: 1, snapshotId: final.id },
    });
    const made = revived.body as { slice: { id: string }; operation: Operation };
    expect(await done(made.operation.id)).toMatchObject({ status: 'succeeded' });
    expect(await sameBytes(last, made.slice.id)).toBe(true);
  });
});
