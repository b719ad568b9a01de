import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, local, run, tokenFor, until } from '../support/e2e-client.ts';

interface Progress {
  percent: number;
  bytesDone: number;
  bytesTotal: number;
  etaSeconds: number | null;
}
interface Snapshot {
  id: string;
  status: string;
  sizeBytes: number;
  consistency: string | null;
  downtimeSeconds: number | null;
  durationSeconds: number | null;
  progress: Progress;
}
interface Operation {
  id: string;
  status: string;
  progress: Progress;
}
interface Slice {
  id: string;
  status: string;
  power: string;
}

const MIB = 1024 * 1024;
/** Enough data for the upload to outlast a few of the local agents' 2-second heartbeats. */
const DATA_MIB = 512;

describe('taking a snapshot through npm start', () => {
  let token: string;

  beforeAll(async () => {
    token = await tokenFor(`acct-take-${randomUUID().slice(0, 8)}`);
  });

  it('snapshots a slice with data written into its disk file, its progress moving to available', async () => {
    const created = await call(token, 'POST', '/v1/slices', {
      body: { name: 'web-1', region: 'fra1', diskGB: 1 },
    });
    const sliceId = (created.body as { slice: Slice }).slice.id;
    await until(
      async () => (await call(token, 'GET', `/v1/slices/${sliceId}`)).body as Slice,
      (slice) => slice.status === 'active',
    );
    const diskPath = await local('disk-path', sliceId);
    await run('dd', [
      'if=/dev/urandom',
      `of=${diskPath}`,
      'bs=1M',
      `count=${DATA_MIB}`,
      'conv=notrunc',
    ]);

    const accepted = await call(token, 'POST', `/v1/slices/${sliceId}/snapshots`, { body: {} });
    const { snapshot, operation } = accepted.body as { snapshot: Snapshot; operation: Operation };
    const seen: Array<{ snapshot: Snapshot; operation: Operation }> = [];
    // The operation ends last (after the snapshot is available and the slice unlocked).
    const { snapshot: last } = await until(
      async () => {
        const [current, op] = await Promise.all([
          call(token, 'GET', `/v1/snapshots/${snapshot.id}`),
          call(token, 'GET', `/v1/operations/${operation.id}`),
        ]);
        const sample = { snapshot: current.body as Snapshot, operation: op.body as Operation };
        seen.push(sample);
        return sample;
      },
      (sample) => sample.operation.status !== 'running',
    );

    expect(accepted.status).toBe(202);
    expect(snapshot).toMatchObject({ status: 'pending', progress: { percent: 0, bytesDone: 0 } });
    expect(last).toMatchObject({
      status: 'available',
      sizeBytes: DATA_MIB * MIB,
      consistency: 'powered-off',
      progress: { percent: 100, bytesDone: DATA_MIB * MIB },
    });
    expect(last.downtimeSeconds).toEqual(expect.any(Number));
    expect(last.durationSeconds).toEqual(expect.any(Number));
    const midway = seen.filter(
      ({ snapshot: each }) =>
        each.status === 'uploading' && each.progress.percent > 0 && each.progress.percent < 100,
    );
    expect(midway.length).toBeGreaterThan(0);
    expect(midway[0]?.snapshot.progress.etaSeconds).toEqual(expect.any(Number));
    expect(
      seen.some(({ operation: op }) => op.progress.percent > 0 && op.progress.percent < 100),
    ).toBe(true);
    const percents = seen.map(({ snapshot: each }) => each.progress.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect((await call(token, 'GET', `/v1/operations/${operation.id}`)).body).toMatchObject({
      status: 'succeeded',
    });
    expect((await call(token, 'GET', `/v1/slices/${sliceId}`)).body).toMatchObject({
      status: 'active',
      power: 'on',
      usedBytes: DATA_MIB * MIB,
    });
  });
});
