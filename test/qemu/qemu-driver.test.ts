import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { diskPathOf } from '../../agent/disk/file-driver.ts';
import { QemuDiskDriver } from '../../agent/disk/qemu-driver.ts';
import { ensureDemoGuest } from '../../agent/guest/demo-guest.ts';
import { createLogger } from '../../agent/log.ts';
import { isVmAlive, readPid } from '../../agent/qemu/qemu-vm.ts';
import { createPipeline, type Pipeline } from '../integration/agent/support/pipeline.ts';
import { GuestConsole, readGuestDisk } from './support/guest-console.ts';
import { waitForConsoleLog } from './support/slice-vm.ts';

const MiB = 2 ** 20;
const RECORD = /^(boot|mark|tick|shutdown) \S+( \d+)?$/;

let pipeline: Pipeline<QemuDiskDriver>;
const account = `acc_${randomUUID().slice(0, 8)}`;
const driverFor = (dataDir: string) =>
  new QemuDiskDriver({
    dataDir,
    accel: 'tcg',
    vmMemoryMb: 256,
    vmVcpus: 1,
    hostMemoryMb: 640,
    guest: () => ensureDemoGuest(inject('guestCacheDir')),
    log: createLogger({}, true),
  });

beforeAll(() => {
  pipeline = createPipeline(inject('s3Endpoint'), inject('imagesBucket'), driverFor);
});
afterAll(async () => {
  for (const sliceId of started) await pipeline.driver.powerOff(sliceId, 0).catch(() => undefined);
  pipeline.driver.close();
  await pipeline.close();
});

const started: string[] = [];
async function newSlice(sizeBytes: number): Promise<string> {
  const sliceId = `slc_${randomUUID().slice(0, 8)}`;
  await pipeline.driver.createDisk(sliceId, sizeBytes);
  started.push(sliceId);
  return sliceId;
}

const sliceDir = (sliceId: string) => join(pipeline.dataDir, 'slices', sliceId);
const pidOf = async (sliceId: string) => readPid(join(sliceDir(sliceId), 'qemu.pid'));
const consoleOf = (sliceId: string) =>
  GuestConsole.connect(join(sliceDir(sliceId), 'console.sock'));

/** Boots the slice and waits for the guest's banner of that boot. */
async function boot(sliceId: string, boots: number): Promise<GuestConsole> {
  await pipeline.driver.powerOn(sliceId);
  await waitForConsoleLog(
    join(sliceDir(sliceId), 'console.log'),
    new RegExp(`slice-guest: boot=${boots} [\\s\\S]*slice-guest: ready`),
  );
  return consoleOf(sliceId);
}

async function writeRandom(path: string, offset: number, length: number): Promise<void> {
  const file = await open(path, 'r+');
  try {
    const block = Buffer.alloc(16 * MiB);
    for (let done = 0; done < length; done += block.length) {
      for (let i = 0; i < block.length; i += 4096) block.writeUInt32LE(Math.random() * 2 ** 32, i);
      block.write(randomUUID(), 0);
      await file.write(block, 0, Math.min(block.length, length - done), offset + done);
    }
  } finally {
    await file.close();
  }
}

describe('QemuDiskDriver', () => {
  it('runs a slice as a QEMU process whose console shows the guest, and stops it through ACPI', async () => {
    const sliceId = await newSlice(256 * MiB);

    const on = await pipeline.driver.powerOn(sliceId);
    const pid = await pidOf(sliceId);
    await waitForConsoleLog(join(sliceDir(sliceId), 'console.log'), /slice-guest: boot=1 /);
    const off = await pipeline.driver.powerOff(sliceId, 60_000);

    expect(on).toEqual({ sliceId, power: 'on', changed: true });
    expect(pid).not.toBeNull();
    expect(off).toMatchObject({ power: 'off', changed: true, forced: false, shutdown: 'graceful' });
    expect(await isVmAlive(pid ?? 0, diskPathOf(pipeline.dataDir, sliceId))).toBe(false);
    expect((await readGuestDisk(diskPathOf(pipeline.dataDir, sliceId))).records.at(-1)).toBe(
      'shutdown 1',
    );
    expect((await pipeline.driver.status(sliceId)).power).toBe('off');
  });

  it('cuts the power of a guest that ignores the power button once the graceful time is up', async () => {
    const sliceId = await newSlice(256 * MiB);
    const guest = await boot(sliceId, 1);
    await guest.command('ignore-acpi');
    guest.close();

    const off = await pipeline.driver.powerOff(sliceId, 1500);

    expect(off).toMatchObject({ power: 'off', changed: true, forced: true, shutdown: 'forced' });
    expect((await readGuestDisk(diskPathOf(pipeline.dataDir, sliceId))).records).not.toContain(
      'shutdown 1',
    );
  });

  it('captures a running VM at one point in time while its guest keeps writing', async () => {
    const sliceId = await newSlice(512 * MiB);
    const guest = await boot(sliceId, 1);
    const pid = await pidOf(sliceId);
    await guest.command('ticker start 20');
    await guest.command('mark before');

    const capture = await pipeline.driver.capture(sliceId, 'cap-running', () => undefined);
    await guest.command('mark after');
    const stopped = await guest.command('ticker stop');
    guest.close();
    const live = await readGuestDisk(diskPathOf(pipeline.dataDir, sliceId));
    const pidAfter = await pidOf(sliceId);
    const running = await isVmAlive(pid ?? 0, diskPathOf(pipeline.dataDir, sliceId));
    await pipeline.driver.powerOff(sliceId, 0);

    expect(capture).toMatchObject({ method: 'backup-job', power: 'on', frozen: false });
    expect(pidAfter).toBe(pid);
    expect(running).toBe(true);
    const captured = await readGuestDisk(join(sliceDir(sliceId), 'captures', 'cap-running.raw'));
    expect(captured.records.every((record) => RECORD.test(record))).toBe(true);
    expect(captured.records.filter((r) => r.startsWith('mark before '))).toHaveLength(1);
    expect(captured.records.filter((r) => r.startsWith('mark after '))).toHaveLength(0);
    expect(live.records.slice(0, captured.records.length)).toEqual(captured.records);
    expect(live.records.length).toBeGreaterThan(captured.records.length);
    expect(Number(stopped.split(' ').at(-1))).toBeGreaterThan(captured.records.length);
    // The zeros of the sparse disk are not allocated in the capture.
    expect(
      (await stat(join(sliceDir(sliceId), 'captures', 'cap-running.raw'))).blocks * 512,
    ).toBeLessThan(16 * MiB);
  });

  it('reads only what the guest wrote with changed-block tracking, and the fallback agrees', async () => {
    const sliceId = await newSlice(1280 * MiB);
    await writeRandom(diskPathOf(pipeline.dataDir, sliceId), 128 * MiB, 1024 * MiB);
    const guest = await boot(sliceId, 1);

    const full = await pipeline.snapshot(sliceId, account, `${sliceId}-full`);
    await guest.command('write 600 8');
    // What a quote reads: the dirty bitmap's count since the base's capture, and none without a base.
    const quoted = await pipeline.driver.scan(sliceId, [`${sliceId}-full`]);
    const unbased = await pipeline.driver.scan(sliceId, []);
    const tracked = await pipeline.snapshot(sliceId, account, `${sliceId}-cbt`, [
      `${sliceId}-full`,
    ]);
    guest.close();
    // The power is cut at once: a graceful shutdown would journal a record after the capture.
    await pipeline.driver.powerOff(sliceId, 0);
    const offline = await pipeline.snapshot(sliceId, account, `${sliceId}-offline`);

    expect(full).toMatchObject({ changedBlockTracking: false });
    expect(full.chunksRead).toBeGreaterThanOrEqual(256);
    expect(tracked.capture.changedBlockTracking).toBe(true);
    expect(tracked).toMatchObject({ changedBlockTracking: true });
    expect(tracked.chunksRead).toBeLessThanOrEqual(full.chunksRead * 0.02);
    // 8 MiB written by the command, plus the guest's journal records beside it.
    expect(quoted.changedBytes).toBeGreaterThanOrEqual(8 * MiB);
    expect(quoted.changedBytes).toBeLessThanOrEqual(8 * MiB + 4 * MiB);
    expect(unbased.changedBytes).toBeNull();
    expect(quoted.diskBytes).toBe(1280 * MiB);
    expect(offline).toMatchObject({ changedBlockTracking: false });
    expect(await manifestChunks(`${sliceId}-offline`)).toEqual(
      await manifestChunks(`${sliceId}-cbt`),
    );
    expect(await manifestChunks(`${sliceId}-cbt`)).not.toEqual(
      await manifestChunks(`${sliceId}-full`),
    );
  });

  it('tracks from an offline capture on, and falls back to a full read after a power cycle', async () => {
    const sliceId = await newSlice(256 * MiB);
    await writeRandom(diskPathOf(pipeline.dataDir, sliceId), 64 * MiB, 64 * MiB);
    const base = await pipeline.snapshot(sliceId, account, `${sliceId}-base`);
    let guest = await boot(sliceId, 1);
    await guest.command('write 200 4');
    guest.close();

    const armed = await pipeline.snapshot(sliceId, account, `${sliceId}-armed`, [
      `${sliceId}-base`,
    ]);
    await pipeline.driver.powerOff(sliceId, 60_000);
    guest = await boot(sliceId, 2);
    guest.close();
    const cycled = await pipeline.snapshot(sliceId, account, `${sliceId}-cycled`, [
      `${sliceId}-armed`,
    ]);
    await pipeline.driver.powerOff(sliceId, 0);

    expect(base.capture.power).toBe('off');
    expect(armed).toMatchObject({ changedBlockTracking: true });
    expect(armed.chunksRead).toBeLessThan(base.chunksRead);
    expect(cycled).toMatchObject({ changedBlockTracking: false });
    expect(cycled.chunksRead).toBeGreaterThanOrEqual(base.chunksRead);
  });

  it('stops a running capture that is cancelled, leaving no capture and the VM running', async () => {
    const sliceId = await newSlice(512 * MiB);
    await writeRandom(diskPathOf(pipeline.dataDir, sliceId), 64 * MiB, 256 * MiB);
    (await boot(sliceId, 1)).close();
    const pid = await pidOf(sliceId);
    const cancelled = new AbortController();
    cancelled.abort(new Error('cancelled'));

    const capture = pipeline.driver.capture(sliceId, 'cap-cancelled', () => undefined, {
      signal: cancelled.signal,
    });

    await expect(capture).rejects.toThrow(/cancelled/);
    expect((await pipeline.driver.status(sliceId)).captures).toEqual([]);
    expect(await pidOf(sliceId)).toBe(pid);
    await expect(
      pipeline.driver.capture(sliceId, 'cap-after', () => undefined),
    ).resolves.toMatchObject({ method: 'backup-job', changedBlockTracking: false });
    await pipeline.driver.powerOff(sliceId, 0);
  });

  it('reattaches to VMs that kept running while the agent was away', async () => {
    const sliceId = await newSlice(256 * MiB);
    (await boot(sliceId, 1)).close();
    const pid = await pidOf(sliceId);
    await pipeline.driver.capture(sliceId, 'before-restart', () => undefined);
    // The agent goes away: its QMP connections close, the VMs run on.
    pipeline.driver.close();

    const restarted = driverFor(pipeline.dataDir);
    await restarted.recover();
    const status = await restarted.status(sliceId);
    const capture = await restarted.capture(sliceId, 'after-restart', () => undefined, {
      baseSnapshotIds: ['before-restart'],
    });
    const off = await restarted.powerOff(sliceId, 60_000);
    restarted.close();
    await pipeline.driver.recover();

    expect(status.power).toBe('on');
    // The bitmap started at the first capture counted on while no agent was there.
    expect(capture).toMatchObject({
      power: 'on',
      method: 'backup-job',
      changedBlockTracking: true,
    });
    expect(off).toMatchObject({ shutdown: 'graceful' });
    expect(await isVmAlive(pid ?? 0, diskPathOf(pipeline.dataDir, sliceId))).toBe(false);
  });

  it('refuses to start a VM past the memory the host gives its VMs', async () => {
    const slices = [
      await newSlice(128 * MiB),
      await newSlice(128 * MiB),
      await newSlice(128 * MiB),
    ];
    await pipeline.driver.powerOn(slices[0] ?? '');
    await pipeline.driver.powerOn(slices[1] ?? '');

    const refused = pipeline.driver.powerOn(slices[2] ?? '');

    await expect(refused).rejects.toMatchObject({ name: 'HostCapacityExceeded' });
    await pipeline.driver.powerOff(slices[0] ?? '', 0);
    await expect(pipeline.driver.powerOn(slices[2] ?? '')).resolves.toMatchObject({ power: 'on' });
  });
});

async function manifestChunks(snapshotId: string): Promise<unknown> {
  const text = await pipeline.store.getManifest(`${account}/snapshots/${snapshotId}/manifest.json`);
  return (JSON.parse(text ?? '{}') as { chunks: unknown }).chunks;
}
