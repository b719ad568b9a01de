import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationView } from '../../core/presentation/operation-view.ts';
import type { SliceView } from '../../core/presentation/slice-view.ts';
import type { SnapshotView } from '../../core/presentation/snapshot-view.ts';
import { call, local, run, tokenFor, until } from '../support/e2e-client.ts';

/** The product docs' three uses of a snapshot, through `npm start`, with the real agent's disks. */
describe('using a snapshot through npm start', () => {
  let token: string;
  let copies: string;

  beforeAll(async () => {
    token = await tokenFor(`acct-use-${randomUUID().slice(0, 8)}`);
    copies = mkdtempSync(join(tmpdir(), 'e2e-disk-copies-'));
  });

  afterAll(() => rmSync(copies, { recursive: true, force: true }));

  async function operationDone(operationId: string): Promise<OperationView> {
    return until(
      async () => (await call(token, 'GET', `/v1/operations/${operationId}`)).body as OperationView,
      (operation) => operation.status !== 'running',
    );
  }

  async function newSlice(body: Record<string, unknown>): Promise<SliceView> {
    const created = await call(token, 'POST', '/v1/slices', {
      body: { name: 'web', region: 'fra1', diskGB: 1, ...body },
    });
    const { slice, operation } = created.body as { slice: SliceView; operation: OperationView };
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    return (await call(token, 'GET', `/v1/slices/${slice.id}`)).body as SliceView;
  }

  /** Writes random data into the slice's disk file with dd, as the docs show. */
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

  /** Whether the slice's disk holds the same bytes as `path` (`cmp` exits 0). */
  async function sameBytes(path: string, sliceId: string): Promise<boolean> {
    const disk = await local('disk-path', sliceId);
    return run('cmp', ['--silent', path, disk]).then(
      () => true,
      () => false,
    );
  }

  async function snapshotOf(sliceId: string, name: string): Promise<SnapshotView> {
    const accepted = await call(token, 'POST', `/v1/slices/${sliceId}/snapshots`, {
      body: { name },
    });
    const { snapshot, operation } = accepted.body as {
      snapshot: SnapshotView;
      operation: OperationView;
    };
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    return (await call(token, 'GET', `/v1/snapshots/${snapshot.id}`)).body as SnapshotView;
  }

  it('failsafe: a snapshot before a risky change puts the damaged disk back byte for byte', async () => {
    const slice = await newSlice({ name: 'failsafe' });
    await writeRandom(slice.id, 0, 48);
    await writeRandom(slice.id, 700, 16);
    const snapshot = await snapshotOf(slice.id, 'before-upgrade');
    const good = await copyOfDisk(slice.id);
    await writeRandom(slice.id, 8, 32);

    const damaged = await sameBytes(good, slice.id);
    const accepted = await call(token, 'POST', `/v1/snapshots/${snapshot.id}/restore`, {
      body: { confirm: true },
    });
    const { operation } = accepted.body as { operation: OperationView };

    expect(damaged).toBe(false);
    expect(accepted.status).toBe(202);
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded', error: null });
    expect(await sameBytes(good, slice.id)).toBe(true);
    expect((await call(token, 'GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      status: 'active',
      power: 'on',
    });
  });

  it('golden image: three new slices from one snapshot, each identical to it', async () => {
    const source = await newSlice({ name: 'golden-source' });
    await writeRandom(source.id, 0, 32);
    await writeRandom(source.id, 512, 8);
    const snapshot = await snapshotOf(source.id, 'golden');
    const golden = await copyOfDisk(source.id);

    const copies = await Promise.all(
      ['web-a', 'web-b', 'web-c'].map((name) => newSlice({ name, snapshotId: snapshot.id })),
    );

    for (const copy of copies) {
      expect(copy).toMatchObject({ status: 'active', power: 'on' });
      expect(await sameBytes(golden, copy.id)).toBe(true);
    }
    expect(new Set(copies.map((copy) => copy.id)).size).toBe(3);
  });

  it('archive: the slice deleted, its snapshot stays listed and billed, and a new slice from it is identical', async () => {
    const slice = await newSlice({ name: 'to-archive' });
    // 128 MiB: enough for a month of it to cost a cent or more.
    await writeRandom(slice.id, 100, 128);
    const snapshot = await snapshotOf(slice.id, 'archive');
    const archived = await copyOfDisk(slice.id);

    const deletion = await call(token, 'DELETE', `/v1/slices/${slice.id}`);
    const { operation } = deletion.body as { operation: OperationView };
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    const listed = (await call(token, 'GET', `/v1/snapshots?sliceId=${slice.id}`)).body as {
      items: SnapshotView[];
    };
    const month = new Date().toISOString().slice(0, 7);
    const charges = (await call(token, 'GET', `/v1/billing/charges?month=${month}`)).body as {
      lines: { snapshotId: string }[];
    };
    const revived = await newSlice({ name: 'revived', snapshotId: snapshot.id });

    expect((await call(token, 'GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      status: 'deleted',
    });
    expect(listed.items.map((each) => each.id)).toEqual([snapshot.id]);
    expect(listed.items[0]).toMatchObject({ status: 'available' });
    expect(listed.items[0]?.monthlyCost.amount).not.toBe('0.00');
    expect(charges.lines.map((line) => line.snapshotId)).toContain(snapshot.id);
    expect(await sameBytes(archived, revived.id)).toBe(true);
  });
});
