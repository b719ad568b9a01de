import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoGuest, ensureDemoGuest } from '../../agent/guest/demo-guest.ts';
import {
  launchDemoGuest,
  qemuAvailability,
  type RunningGuest,
  readGuestDisk,
} from './support/guest-console.ts';

const MiB = 1024 * 1024;
const BANNER = /^slice-guest: boot=(\d+) records=(\d+) last=(.*)$/;

/** Reads [start, end) of a file. */
async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const bytes = Buffer.alloc(end - start);
    await file.read(bytes, 0, bytes.length, start);
    return bytes;
  } finally {
    await file.close();
  }
}

/** A sparse disk of `sizeBytes`, with `head` written at offset 0 when given. */
async function createDisk(path: string, sizeBytes: number, head?: Buffer): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.truncate(sizeBytes);
    if (head) await file.write(head, 0, head.length, 0);
  } finally {
    await file.close();
  }
}

describe('demo guest under QEMU', { timeout: 90_000 }, () => {
  let work: string;
  let qemu: string;
  let guest: DemoGuest;
  let disk: string;
  let running: RunningGuest | undefined;
  let runs = 0;

  /** Boots the guest on `path` and returns its banner, once the guest is ready. */
  async function boot(path: string): Promise<RegExpMatchArray> {
    const dir = join(work, `run-${++runs}`);
    await mkdir(dir);
    running = await launchDemoGuest(qemu, guest, path, dir);
    const banner = await running.console.waitForLine(BANNER, 60_000);
    await running.console.waitForLine(/^slice-guest: ready$/);
    return banner;
  }

  beforeAll(async () => {
    const availability = await qemuAvailability();
    if (!availability.ok) {
      const missing = availability.missing.join(', ');
      throw new Error(`The QEMU suite needs ${missing}: ${availability.install}`);
    }
    qemu = availability.qemu;
    work = await mkdtemp(join(tmpdir(), 'demo-guest-'));
    guest = await ensureDemoGuest(join(work, 'cache'));
    disk = join(work, 'disk.raw');
    await createDisk(disk, 128 * MiB);
  }, 60_000);

  afterAll(async () => {
    await running?.kill();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('boots a fresh disk as boot 1 with an empty journal', async () => {
    const banner = await boot(disk);

    expect(banner.slice(1)).toEqual(['1', '0', '']);
    expect(await readGuestDisk(disk)).toEqual({ boots: 1, records: ['boot 1'] });
  });

  it('appends a mark and answers with its position in the journal', async () => {
    const answer = await running!.console.command('mark hello');

    expect(answer).toBe('slice-guest: ok mark hello 2');
    expect((await readGuestDisk(disk)).records).toEqual(['boot 1', 'mark hello 2']);
  });

  it('records a shutdown and powers off on the ACPI power button', async () => {
    const vm = running!;

    await vm.qmp('system_powerdown');

    await vm.console.waitForLine(/^slice-guest: powering off$/);
    expect(await vm.waitForExit()).toBe(0);
    expect(await readGuestDisk(disk)).toEqual({
      boots: 1,
      records: ['boot 1', 'mark hello 2', 'shutdown 1'],
    });
  });

  it('boots the same disk again as boot 2, showing the last record', async () => {
    const banner = await boot(disk);

    expect(banner[0]).toBe('slice-guest: boot=2 records=3 last=shutdown 1');
    expect((await readGuestDisk(disk)).boots).toBe(2);
  });

  it('serializes ticker and mark records in one contiguous journal', async () => {
    const guestConsole = running!.console;
    const seqOf = (answer: string) => Number(answer.split(/[ =]/).at(-1));
    /** Asks for the status until the journal holds at least `count` records. */
    const waitForRecords = async (count: number) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const status = await guestConsole.command('status');
        if (seqOf(status) >= count) return;
        if (Date.now() > deadline) throw new Error(`still ${status} after 30 s`);
      }
    };

    await guestConsole.command('ticker start 10');
    const first = await guestConsole.command('mark one');
    await waitForRecords(seqOf(first) + 3);
    const second = await guestConsole.command('mark two');
    await waitForRecords(seqOf(second) + 3);
    const lastTick = seqOf(await guestConsole.command('ticker stop'));
    const count = seqOf(await guestConsole.command('status'));

    const { records } = await readGuestDisk(disk);
    expect(records).toHaveLength(count);
    expect(records.slice(0, 4)).toEqual(['boot 1', 'mark hello 2', 'shutdown 1', 'boot 2']);
    records.slice(4).forEach((record, index) => {
      expect(record).toMatch(new RegExp(`^(tick|mark one|mark two) ${index + 5}$`));
    });
    expect(records[seqOf(first) - 1]).toBe(`mark one ${seqOf(first)}`);
    expect(records[seqOf(second) - 1]).toBe(`mark two ${seqOf(second)}`);
    expect(records[lastTick - 1]).toBe(`tick ${lastTick}`);
    expect(lastTick).toBeGreaterThan(seqOf(second));
  });

  it('keeps running on the power button once told to ignore it', async () => {
    const vm = running!;
    await vm.console.command('ignore-acpi');

    await vm.qmp('system_powerdown');

    await vm.console.waitForLine(/^slice-guest: power button ignored$/);
    expect(await vm.console.command('status')).toMatch(/^slice-guest: ok status boot=2 /);
    expect(vm.process.exitCode).toBeNull();
    expect((await readGuestDisk(disk)).records).not.toContain('shutdown 2');
  });

  it('writes random data from 64 MiB on request and nowhere else', async () => {
    const answer = await running!.console.command('write 64 8');

    expect(answer).toBe('slice-guest: ok write 64 8');
    const written = await readRange(disk, 64 * MiB, 72 * MiB);
    let zeroBlocks = 0;
    for (let at = 0; at < written.length; at += 4096) {
      if (written.subarray(at, at + 4096).every((byte) => byte === 0)) zeroBlocks++;
    }
    expect(zeroBlocks).toBe(0);
    expect((await readRange(disk, 72 * MiB, 128 * MiB)).every((byte) => byte === 0)).toBe(true);
  });

  it('counts a journal longer than the 1024 records of one 64 KiB block', async () => {
    await running?.kill();
    const records = Array.from({ length: 2500 }, (_, i) => `tick ${i + 1}`.padEnd(63));
    const head = Buffer.alloc(MiB + records.length * 64);
    head.write('slice-guest boots=7\n');
    head.write(records.map((record) => `${record}\n`).join(''), MiB, 'latin1');
    const long = join(work, 'long.raw');
    await createDisk(long, 128 * MiB, head);

    const banner = await boot(long);

    expect(banner[0]).toBe('slice-guest: boot=8 records=2500 last=tick 2500');
    expect((await readGuestDisk(long)).records.at(-1)).toBe('boot 8');
  });
});
