import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { isVmAlive, readPid } from '../../agent/qemu/qemu-vm.ts';
import type { OperationView } from '../../core/presentation/operation-view.ts';
import type { SliceView } from '../../core/presentation/slice-view.ts';
import type { SnapshotView } from '../../core/presentation/snapshot-view.ts';
import { call, local, tokenFor, until } from '../support/e2e-client.ts';
import { GuestConsole } from './support/guest-console.ts';
import { waitForConsoleLog } from './support/slice-vm.ts';

/** The guest's banner of one boot: its boot count, its journal's length and last record. */
interface Banner {
  boot: number;
  records: number;
  last: string;
}

/**
 * Snapshots of slices that are QEMU virtual machines, through `npm start -- --hypervisor qemu`
 * and its API, as a user takes them: the guest's own state on its disk is what is checked.
 */
describe('snapshots of QEMU slices through npm start', () => {
  let token: string;

  beforeAll(async () => {
    token = await tokenFor(`acct-vm-${randomUUID().slice(0, 8)}`);
  });

  async function operationDone(operationId: string): Promise<OperationView> {
    return until(
      async () => (await call(token, 'GET', `/v1/operations/${operationId}`)).body as OperationView,
      (operation) => operation.status !== 'running',
    );
  }

  async function sliceDir(sliceId: string): Promise<string> {
    return dirname(await local('disk-path', sliceId));
  }

  /** The banner of boot number `boot`, from the console log the host keeps per slice. */
  async function bannerOf(sliceId: string, boot: number): Promise<Banner> {
    const match = await waitForConsoleLog(
      join(await sliceDir(sliceId), 'console.log'),
      new RegExp(
        `slice-guest: boot=${boot} records=(\\d+) last=(.*)\\r?\\n[\\s\\S]*?slice-guest: ready`,
      ),
      90_000,
    );
    return { boot, records: Number(match[1]), last: (match[2] ?? '').trim() };
  }

  async function newSlice(body: Record<string, unknown>): Promise<SliceView> {
    const created = await call(token, 'POST', '/v1/slices', {
      body: { name: 'vm', region: 'fra1', diskGB: 1, ...body },
    });
    expect(created.status).toBe(202);
    const { slice, operation } = created.body as { slice: SliceView; operation: OperationView };
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    return (await call(token, 'GET', `/v1/slices/${slice.id}`)).body as SliceView;
  }

  async function snapshot(sliceId: string, powerOff: boolean): Promise<SnapshotView> {
    const accepted = await call(token, 'POST', `/v1/slices/${sliceId}/snapshots`, {
      body: { name: `vm-${powerOff ? 'off' : 'on'}`, powerOff },
    });
    expect(accepted.status).toBe(202);
    const { snapshot: requested, operation } = accepted.body as {
      snapshot: SnapshotView;
      operation: OperationView;
    };
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    return (await call(token, 'GET', `/v1/snapshots/${requested.id}`)).body as SnapshotView;
  }

  async function pidOf(sliceId: string): Promise<number | null> {
    return readPid(join(await sliceDir(sliceId), 'qemu.pid'));
  }

  it('runs a QEMU process for a new slice whose console shows the guest', async () => {
    const slice = await newSlice({});

    const banner = await bannerOf(slice.id, 1);
    const pid = await pidOf(slice.id);
    const health = (await (await fetch(`${await agentUrl()}/v1/health`)).json()) as object;
    const printed = await local('console', slice.id);

    expect(slice).toMatchObject({ status: 'active', power: 'on' });
    expect(banner).toEqual({ boot: 1, records: 0, last: '' });
    expect(await isVmAlive(pid ?? 0, await local('disk-path', slice.id))).toBe(true);
    expect(health).toMatchObject({
      hypervisor: 'qemu',
      accel: expect.stringMatching(/^(kvm|tcg)$/),
    });
    expect(printed).toContain('slice-guest: boot=1 ');
  });

  it('takes snapshots with and without powering off, and restores and copies into their state', async () => {
    const slice = await newSlice({});
    await bannerOf(slice.id, 1);
    let guest = await GuestConsole.connect(join(await sliceDir(slice.id), 'console.sock'));
    await guest.command('mark kept');
    guest.close();
    const firstPid = await pidOf(slice.id);

    // Powered off: the guest shuts down through ACPI, the disk is captured, the VM starts again.
    const offline = await snapshot(slice.id, true);
    const afterOffline = await bannerOf(slice.id, 2);
    const secondPid = await pidOf(slice.id);

    // Running, the same process keeps going while the guest writes.
    guest = await GuestConsole.connect(join(await sliceDir(slice.id), 'console.sock'));
    await guest.command('ticker start 50');
    const online = await snapshot(slice.id, false);
    const stopped = Number((await guest.command('ticker stop')).split(' ').at(-1));
    guest.close();
    const thirdPid = await pidOf(slice.id);

    expect(firstPid).not.toBe(secondPid);
    expect(offline).toMatchObject({
      status: 'available',
      consistency: 'powered-off',
      captureInfo: { shutdown: 'graceful', changedBlockTracking: false },
    });
    expect(offline.downtimeSeconds).toBeGreaterThan(0);
    expect(afterOffline).toEqual({ boot: 2, records: 3, last: 'shutdown 1' });
    expect(thirdPid).toBe(secondPid);
    expect(online).toMatchObject({
      status: 'available',
      consistency: 'crash-consistent',
      downtimeSeconds: 0,
      captureInfo: { shutdown: 'none' },
    });

    // A slice made from the powered-off snapshot boots into the state it had: one boot, the mark,
    // the shutdown the guest journaled on the ACPI button.
    const copy = await newSlice({ name: 'vm-copy', snapshotId: offline.id });
    expect(await bannerOf(copy.id, 2)).toEqual({ boot: 2, records: 3, last: 'shutdown 1' });

    // One made from the running snapshot holds whole records up to the capture point only.
    const live = await newSlice({ name: 'vm-live', snapshotId: online.id });
    const liveBanner = await bannerOf(live.id, 3);
    expect(liveBanner.last).toMatch(/^tick \d+$/);
    expect(Number(liveBanner.last.split(' ')[1])).toBeLessThan(stopped);

    // Restoring the slice from the powered-off snapshot brings its guest back to that state.
    const restored = await call(token, 'POST', `/v1/snapshots/${offline.id}/restore`, {
      body: { confirm: true },
    });
    expect(restored.status).toBe(202);
    const { operation } = restored.body as { operation: OperationView };
    expect(await operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    // Its third boot: without the restore it would count 3 and show the ticks.
    const [, third] = await waitForConsoleLog(
      join(await sliceDir(slice.id), 'console.log'),
      /(?:slice-guest: boot=[\s\S]*?){2}(slice-guest: boot=\d+ records=\d+ last=[^\r\n]*)/,
      90_000,
    );
    expect(third).toBe('slice-guest: boot=2 records=3 last=shutdown 1');
  });

  it('keeps VMs running when their agent is killed, and snapshots them once it is back', async () => {
    const slice = await newSlice({});
    await bannerOf(slice.id, 1);
    const pid = await pidOf(slice.id);
    const agentPid = await agentPidOf('fra1-host-1');

    process.kill(agentPid, 'SIGKILL');
    const back = await until(
      async () => agentPidOf('fra1-host-1').catch(() => agentPid),
      (next) => next !== agentPid,
    );
    await until(
      async () => (await fetch(`${await agentUrl()}/v1/health`).catch(() => null))?.ok ?? false,
      (ok) => ok,
    );
    const taken = await snapshot(slice.id, false);

    expect(back).not.toBe(agentPid);
    expect(await isVmAlive(pid ?? 0, await local('disk-path', slice.id))).toBe(true);
    expect(await pidOf(slice.id)).toBe(pid);
    expect(taken).toMatchObject({ status: 'available', downtimeSeconds: 0 });
  });
});

async function agentUrl(): Promise<string> {
  const endpoints = JSON.parse(
    await readFile(join(inject('localDataDir'), 'endpoints.json'), 'utf8'),
  ) as { agents: Record<string, { url: string }> };
  return endpoints.agents['fra1-host-1']?.url ?? '';
}

/** The pid of the running agent process of `hostId` in this local cloud. */
async function agentPidOf(hostId: string): Promise<number> {
  const dataDir = join(inject('localDataDir'), 'agents', hostId);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('agent/main.ts') && environ.includes(`AGENT_DATA_DIR=${dataDir}\0`)) {
      return Number(entry);
    }
  }
  throw new Error(`no agent process for ${hostId}`);
}
