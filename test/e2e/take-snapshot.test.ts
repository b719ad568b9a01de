import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/lambdas.ts';
import { call, tokenFor } from '../support/e2e-client.ts';

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

/** `npm run local -- <args>` against the running local cloud, as a user types it. */
function local(...args: string[]): string {
  const result = spawnSync('npm', ['run', '--silent', 'local', '--', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SLICE_SNAPSHOTS_DATA_DIR: inject('localDataDir') },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`npm run local ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

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
    const diskPath = local('disk-path', sliceId);
    const dd = spawnSync('dd', [
      'if=/dev/urandom',
      `of=${diskPath}`,
      'bs=1M',
      `count=${DATA_MIB}`,
      'conv=notrunc',
    ]);
    expect(dd.status).toBe(0);

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
