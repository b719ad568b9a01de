import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { diskPathOf } from '../agent/disk/file-driver.ts';
import { findQemu } from '../agent/qemu/availability.ts';
import { agentDataDir } from '../local/agents.ts';
import { withBenchCloud, writeRandom } from './bench-cloud.ts';
import { type BenchRow, type BenchSuite, throughputRow } from './bench-row.ts';
import { LocalApi, type OperationBody, secondsSince, stateSpan } from './local-api.ts';
import { GiB, MiB } from './units.ts';

const SUITE = 'hypervisor';
const USED_BYTES = GiB;

interface SnapshotBody {
  id: string;
  downtimeSeconds: number | null;
  captureInfo: { shutdown: string; changedBlockTracking: boolean; chunksRead: number | null };
}

/** When the last exit of `state` happened, in epoch milliseconds. */
function exitOf(history: readonly HistoryEvent[], state: string): number | undefined {
  return history
    .findLast(
      (event) =>
        event.type?.endsWith('StateExited') && event.stateExitedEventDetails?.name === state,
    )
    ?.timestamp?.getTime();
}

/** Resolves at the wall-clock time the console log gains a `ready` line after `from` bytes. */
async function guestReady(consoleLog: string, from: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = readFileSync(consoleLog, 'latin1');
    if (text.indexOf('slice-guest: ready', from) >= 0) return Date.now();
    if (Date.now() > deadline) throw new Error(`the guest did not come up: ${text.slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function consoleLength(consoleLog: string): number {
  return readFileSync(consoleLog, 'latin1').length;
}

/** Sends a guest command over the serial console and waits for its `ok` answer. */
function guestCommand(socketPath: string, line: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path: socketPath });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${line}`));
    }, timeoutMs);
    socket.on('data', (data) => {
      text += data.toString();
      if (text.includes(`slice-guest: ok ${line.split(' ')[0]}`)) {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`${line}\n`));
  });
}

class VmApi extends LocalApi {
  async done(operation: OperationBody): Promise<void> {
    const ended = await this.untilDone(operation.id, 25);
    if (ended.status !== 'succeeded') throw new Error(`operation ${operation.id} ${ended.status}`);
  }

  async power(sliceId: string, state: 'on' | 'off'): Promise<void> {
    const { operation } = await this.call<{ operation: OperationBody }>(
      'POST',
      `/v1/slices/${sliceId}/power`,
      { state },
    );
    await this.done(operation);
  }

  async snapshot(sliceId: string, powerOff: boolean) {
    const started = performance.now();
    const { snapshot, operation } = await this.call<{
      snapshot: SnapshotBody;
      operation: OperationBody;
    }>('POST', `/v1/slices/${sliceId}/snapshots`, { powerOff });
    await this.done(operation);
    const seconds = secondsSince(started);
    const history = await this.history('create-snapshot', operation.id);
    return {
      seconds,
      history,
      snapshot: await this.call<SnapshotBody>('GET', `/v1/snapshots/${snapshot.id}`),
      /** What the host spent on the image: the capture and the upload steps. */
      imageSeconds:
        (stateSpan(history, 'CaptureDisk') ?? 0) + (stateSpan(history, 'UploadImage') ?? 0),
    };
  }
}

type SnapshotRun = Awaited<ReturnType<VmApi['snapshot']>>;

/**
 * An incremental snapshot's capture and upload as a share of the full one's. Only a tracked
 * capture has a target: without the bitmap, the capture reads every block again.
 */
function incrementalRow(
  how: 'with tracking' | 'without tracking',
  run: SnapshotRun,
  full: SnapshotRun,
  target?: number,
): BenchRow {
  const ratio = run.imageSeconds / full.imageSeconds;
  const { changedBlockTracking, chunksRead } = run.snapshot.captureInfo;
  const span = (state: string) => stateSpan(run.history, state)?.toFixed(2);
  return {
    suite: SUITE,
    name: `incremental capture + upload ${how} / full`,
    seconds: run.imageSeconds,
    ratio,
    ...(target === undefined ? {} : { target: `≤ ${target}`, pass: ratio <= target }),
    note: `capture ${span('CaptureDisk')} s + upload ${span('UploadImage')} s, full ${full.imageSeconds.toFixed(2)} s; changedBlockTracking ${changedBlockTracking}; chunks read ${chunksRead}; request → available ${run.seconds.toFixed(2)} s`,
  };
}

/**
 * Snapshots of a QEMU slice with 1 GiB used, through `npm start`'s pieces with real VMs: request →
 * available with and without powering off, the downtime part by part (guest shutdown, capture,
 * boot), incremental captures with and without changed-block tracking against the full one, and
 * the guest's boot time. Needs QEMU and the demo guest's packages (the README names them).
 */
export const hypervisorSuite: BenchSuite = {
  name: SUITE,
  async run(log) {
    const qemu = await findQemu();
    if (!qemu.ok) {
      log(`SKIPPED: QEMU VMs need ${qemu.missing.join(', ')}: ${qemu.install}`);
      return [{ suite: SUITE, name: 'skipped: QEMU is not installed', note: qemu.install }];
    }
    return withBenchCloud('hypervisor', { hypervisor: 'qemu' }, async (cloud, dataDir) => {
      const api = new VmApi(cloud, await cloud.mintToken('acct-bench-vm'));
      const rows: BenchRow[] = [];
      const accel =
        cloud.endpoints.hypervisor.kind === 'qemu' ? cloud.endpoints.hypervisor.accel : '?';
      try {
        const hostId = Object.keys(cloud.endpoints.agents).find(
          (id) => cloud.endpoints.agents[id]?.region === 'fra1',
        );
        if (!hostId) throw new Error('no local host in fra1');
        log(`a 4 GiB slice, booted under ${accel}`);
        const bootStarted = performance.now();
        const { slice, operation } = await api.call<{
          slice: { id: string };
          operation: OperationBody;
        }>('POST', '/v1/slices', { name: 'bench-vm', region: 'fra1', diskGB: 4 });
        await api.done(operation);
        const disk = diskPathOf(agentDataDir(join(dataDir, 'agents'), hostId), slice.id);
        const consoleLog = join(dirname(disk), 'console.log');
        const consoleSocket = join(dirname(disk), 'console.sock');
        await guestReady(consoleLog, 0);
        rows.push({
          suite: SUITE,
          name: `guest boot (${accel}): request → console ready`,
          seconds: secondsSince(bootStarted),
        });

        log('1 GiB of random data written into the disk while the slice is off');
        await api.power(slice.id, 'off');
        writeRandom(disk, 64 * MiB, USED_BYTES);
        let booted = guestReady(consoleLog, consoleLength(consoleLog));
        await api.power(slice.id, 'on');
        await booted;

        log('snapshot, powerOff: true');
        booted = guestReady(consoleLog, consoleLength(consoleLog));
        const off = await api.snapshot(slice.id, true);
        const bootAfter = ((await booted) - (exitOf(off.history, 'RestorePowerState') ?? 0)) / 1000;
        const shutdown = stateSpan(off.history, 'PowerOffSlice') ?? 0;
        const capture = stateSpan(off.history, 'CaptureDisk') ?? 0;
        const powerOn = stateSpan(off.history, 'RestorePowerState') ?? 0;
        rows.push(
          throughputRow(
            SUITE,
            '1 GiB used, powerOff: true: request → available',
            USED_BYTES,
            off.seconds,
            {
              note: `shutdown ${off.snapshot.captureInfo.shutdown}; chunks read ${off.snapshot.captureInfo.chunksRead}`,
            },
          ),
        );
        rows.push({
          suite: SUITE,
          name: 'powerOff: true downtime (shutdown + capture + boot)',
          seconds: shutdown + capture + powerOn + bootAfter,
          note: `ACPI shutdown ${shutdown.toFixed(2)} s, capture ${capture.toFixed(2)} s, VM start ${powerOn.toFixed(2)} s, guest boot to ready ${bootAfter.toFixed(2)} s; API downtimeSeconds ${off.snapshot.downtimeSeconds}`,
        });

        log('8 MiB written by the guest, then a running snapshot with changed-block tracking');
        await guestCommand(consoleSocket, 'write 1024 8');
        const tracked = await api.snapshot(slice.id, false);
        rows.push({
          suite: SUITE,
          name: 'powerOff: false, 8 MiB changed, tracked: request → available',
          seconds: tracked.seconds,
          target: 'downtime 0',
          pass: tracked.snapshot.downtimeSeconds === 0,
          note: `downtimeSeconds ${tracked.snapshot.downtimeSeconds}; changedBlockTracking ${tracked.snapshot.captureInfo.changedBlockTracking}; chunks read ${tracked.snapshot.captureInfo.chunksRead}`,
        });
        rows.push(incrementalRow('with tracking', tracked, off, 0.05));

        log('power cycle (the bitmap is gone), 8 MiB more, then a running snapshot');
        await api.power(slice.id, 'off');
        booted = guestReady(consoleLog, consoleLength(consoleLog));
        await api.power(slice.id, 'on');
        await booted;
        await guestCommand(consoleSocket, 'write 1100 8');
        const untracked = await api.snapshot(slice.id, false);
        rows.push(incrementalRow('without tracking', untracked, off));
      } finally {
        api.close();
      }
      return rows;
    });
  },
};
