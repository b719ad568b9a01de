import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/lambdas.ts';
import { freePort } from '../../local/net.ts';
import { call, local, tokenFor } from '../support/e2e-client.ts';
import { startNpmStart, stopNpmStart } from '../support/start-local-cloud.ts';

function processesUnder(dataDir: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(dataDir) && !line.includes('ps -eo'));
}

describe('npm start', () => {
  it('serves the API with the printed token', async () => {
    const response = await call(inject('apiToken'), 'GET', '/v1/regions');

    expect(response.status).toBe(200);
    expect((response.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('serves the console at / beside the API, under its Content-Security-Policy', async () => {
    const page = await fetch(`${inject('apiUrl')}/snapshots`);
    const config = await fetch(`${inject('apiUrl')}/config.json`);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(await config.json()).toMatchObject({ apiUrl: '', auth: { kind: 'local' } });
  });

  it('moves its clock forward with npm run local -- clock advance, and the handlers read it', async () => {
    const token = await tokenFor(`acct-clock-${randomUUID().slice(0, 8)}`);
    const secondsAhead = (line: string) => Number(/\(([\d.]+) s ahead/.exec(line)?.[1]);

    const before = await local('clock');
    const moved = await local('clock', 'advance', '5s');
    const created = await call(token, 'POST', '/v1/slices', {
      body: { name: 'clocked', region: 'fra1', diskGB: 1 },
    });
    const answeredAt = Date.now();

    expect(secondsAhead(moved) - secondsAhead(before)).toBeCloseTo(5, 3);
    expect(created.status).toBe(202);
    // Stamped by the handler on the moved clock: later than this machine's time once answered.
    const { createdAt } = (created.body as { slice: { createdAt: string } }).slice;
    expect(Date.parse(createdAt)).toBeGreaterThan(answeredAt);
  });

  it('names a busy port and exits non-zero', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', () => resolve()));
    const dataDir = mkdtempSync(join(tmpdir(), 'busy-port-'));

    const result = spawnSync('npm', ['start', '--silent'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: String(port), SLICE_SNAPSHOTS_DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 60_000,
    });

    blocker.close();
    rmSync(dataDir, { recursive: true, force: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`port ${port}`);
  });

  it('starts from nothing, answers, and stops every child process on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-'));
    const cloud = await startNpmStart({
      PORT: String(await freePort()),
      SLICE_SNAPSHOTS_DATA_DIR: dataDir,
    });
    const regions = await fetch(`${cloud.api}/v1/regions`, {
      headers: { authorization: `Bearer ${cloud.token}` },
    });
    const childrenWhileUp = processesUnder(dataDir);

    const exit = await stopNpmStart(cloud.child);

    expect(regions.status).toBe(200);
    expect(childrenWhileUp.length).toBeGreaterThan(0);
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    // npm returns at once; its script's own words may reach the pipe a moment later.
    await expect
      .poll(() => cloud.output(), { timeout: 15_000, interval: 100 })
      .toContain('stopping the local cloud');
    // Left to choose, it runs VMs where QEMU is installed and says which it took.
    expect(cloud.output()).toMatch(/^Hypervisor: (qemu \((kvm|tcg)\): slices are VMs|file \()/m);
    // The banner comes first, and names the log file holding what the emulators said.
    expect(cloud.output()).toMatch(/^slice-snapshots local cloud ready/);
    expect(cloud.output()).toContain(`Console: ${cloud.api}/ (sign in as acct-local`);
    const logPath = /^Logs:\s+(\S+)/m.exec(cloud.output())?.[1] ?? '';
    expect(logPath).toBe(join(dataDir, 'logs', 'local-cloud.log'));
    expect(readFileSync(logPath, 'utf8')).toContain('eventbridge: listening on');
    // npm itself returns at once; its script still stops the emulators (Java takes a moment).
    await expect
      .poll(() => processesUnder(dataDir), { timeout: 15_000, interval: 250 })
      .toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
