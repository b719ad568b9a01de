import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskPathOf } from '../../agent/disk/file-driver.ts';
import { agentDataDir, localHostId } from '../../local/agents.ts';
import { freePort } from '../../local/net.ts';
import { startNpmStart, stopNpmStart } from '../support/start-local-cloud.ts';

const MIB = 1024 * 1024;

interface Progress {
  percent: number;
  etaSeconds: number | null;
  stalledSeconds: number;
}

/** Processes whose command line names the data directory (the emulators and agents of a start). */
function pidsUnder(dataDir: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .filter((line) => line.includes(dataDir) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`still waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the local cloud killed while a snapshot uploads', () => {
  // Two starts of the whole local cloud and a kill between them: as long as a faults-project test.
  it('finishes the snapshot at the next npm start: its upload goes on, the slice free and running', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'killed-'));
    // The file driver: this test writes into the disk file of a running slice.
    const env = {
      PORT: String(await freePort()),
      SLICE_SNAPSHOTS_DATA_DIR: dataDir,
      SLICE_SNAPSHOTS_HYPERVISOR: 'file',
    };
    let cloud = await startNpmStart(env);
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${cloud.api}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${cloud.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await response.json()) as T;
    };
    try {
      const { slice } = await call<{ slice: { id: string } }>('POST', '/v1/slices', {
        name: 'web-1',
        region: 'fra1',
        diskGB: 2,
      });
      await until(
        'the slice',
        () => call<{ status: string }>('GET', `/v1/slices/${slice.id}`),
        (body) => body.status === 'active',
      );
      // Enough random data that the upload takes seconds on this machine.
      const disk = diskPathOf(agentDataDir(join(dataDir, 'agents'), localHostId('fra1')), slice.id);
      const descriptor = openSync(disk, 'r+');
      for (let offset = 0; offset < 384 * MIB; offset += 16 * MIB) {
        writeSync(descriptor, randomBytes(16 * MIB), 0, 16 * MIB, offset);
      }
      closeSync(descriptor);
      const { snapshot, operation } = await call<{
        snapshot: { id: string };
        operation: { id: string };
      }>('POST', `/v1/slices/${slice.id}/snapshots`, { name: 'cut-short' });
      await until(
        'the upload',
        () => call<{ status: string }>('GET', `/v1/snapshots/${snapshot.id}`),
        (body) => body.status === 'uploading',
      );

      // SIGKILL to the whole process group, as the user did.
      const killed = new Promise((resolve) => cloud.child.once('exit', resolve));
      process.kill(-(cloud.child.pid as number), 'SIGKILL');
      await killed;
      for (const pid of pidsUnder(dataDir)) process.kill(pid, 'SIGKILL');
      await until(
        'every process of it gone',
        async () => pidsUnder(dataDir),
        (p) => !p.length,
      );
      const restartedAt = performance.now();
      cloud = await startNpmStart(env);
      const ended = await until(
        'the operation to end',
        () =>
          call<{ status: string; error: { code: string } | null; progress: Progress }>(
            'GET',
            `/v1/operations/${operation.id}`,
          ),
        (body) => body.status !== 'running',
      );
      const secondsToEnd = (performance.now() - restartedAt) / 1000;

      expect(ended).toMatchObject({
        status: 'succeeded',
        error: null,
        progress: { percent: 100, stalledSeconds: 0 },
      });
      expect(
        await call<{ status: string; progress: Progress }>('GET', `/v1/snapshots/${snapshot.id}`),
      ).toMatchObject({ status: 'available', progress: { percent: 100 } });
      expect(await call('GET', `/v1/slices/${slice.id}`)).toMatchObject({
        status: 'active',
        power: 'on',
      });
      process.stdout.write(`finished ${secondsToEnd.toFixed(1)} s after npm start began\n`);
      // The slice takes the next request at once.
      const power = await call<{ operation: { id: string } }>(
        'POST',
        `/v1/slices/${slice.id}/power`,
        { state: 'off' },
      );
      expect(power.operation.id).toMatch(/^op_/);
    } finally {
      await stopNpmStart(cloud.child);
      await until(
        'every process of it gone',
        async () => pidsUnder(dataDir),
        (p) => !p.length,
      );
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  }, 300_000);
});
