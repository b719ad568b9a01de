import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  diskPathOf,
  FileDiskDriver,
  GUEST_IGNORES_SHUTDOWN,
} from '../../../../agent/disk/file-driver.ts';
import { AgentFailure } from '../../../../agent/errors.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'file-driver-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const driver = new FileDiskDriver({ dataDir, guestShutdownMs: 5 });
const MiB = 1024 * 1024;

describe('FileDiskDriver', () => {
  it('creates a sparse disk, powered off, and refuses a second one', async () => {
    const created = await driver.createDisk('slc_a', 64 * MiB);
    const again = driver.createDisk('slc_a', 64 * MiB);

    expect(created).toEqual({ diskBytes: 64 * MiB });
    expect(statSync(diskPathOf(dataDir, 'slc_a')).blocks).toBe(0);
    await expect(again).rejects.toMatchObject({ name: 'DiskExists' });
    expect((await driver.status('slc_a')).power).toBe('off');
  });

  it('keeps the power state on disk', async () => {
    await driver.createDisk('slc_p', MiB);

    const on = await driver.powerOn('slc_p');
    const again = await driver.powerOn('slc_p');
    const reopened = await new FileDiskDriver({ dataDir }).status('slc_p');

    expect(on.changed).toBe(true);
    expect(again.changed).toBe(false);
    expect(reopened.power).toBe('on');
  });

  it('cuts the power of a guest that ignores the shutdown once the timeout passes', async () => {
    await driver.createDisk('slc_h', MiB);
    await driver.powerOn('slc_h');
    writeFileSync(join(dataDir, 'slices', 'slc_h', GUEST_IGNORES_SHUTDOWN), '');

    const started = Date.now();
    const off = await driver.powerOff('slc_h', 50);

    expect(off).toMatchObject({ power: 'off', forced: true, changed: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('captures a copy that later writes to the disk do not change', async () => {
    await driver.createDisk('slc_c', 8 * MiB);
    writeFileSync(diskPathOf(dataDir, 'slc_c'), Buffer.alloc(8 * MiB, 1));

    const capture = await driver.capture('slc_c', 'cap1', () => undefined);
    writeFileSync(diskPathOf(dataDir, 'slc_c'), Buffer.alloc(8 * MiB, 2));
    const copy = readFileSync(join(dataDir, 'slices', 'slc_c', 'captures', 'cap1.raw'));

    expect(capture).toMatchObject({ captureId: 'cap1', diskBytes: 8 * MiB });
    expect(copy.equals(Buffer.alloc(8 * MiB, 1))).toBe(true);
    expect((await driver.status('slc_c')).captures).toEqual(['cap1']);
  });

  it('reports CaptureNotFound for a capture that does not exist and discards idempotently', async () => {
    await driver.createDisk('slc_d', MiB);

    const opened = await driver.openCapture('slc_d', 'nope').catch((error: unknown) => error);
    const discarded = await driver.discardCapture('slc_d', 'nope');

    expect(opened).toBeInstanceOf(AgentFailure);
    expect(opened).toMatchObject({ name: 'CaptureNotFound' });
    expect(discarded).toBe(false);
  });

  it('leaves the disk untouched when a written image is aborted, and swaps it on commit', async () => {
    await driver.createDisk('slc_w', MiB);
    writeFileSync(diskPathOf(dataDir, 'slc_w'), Buffer.alloc(MiB, 7));

    const aborted = await driver.prepareImageTarget('slc_w', MiB);
    await aborted.abort();
    const untouched = readFileSync(diskPathOf(dataDir, 'slc_w'));
    const committed = await driver.prepareImageTarget('slc_w', 2 * MiB);
    await committed.commit();

    expect(untouched.equals(Buffer.alloc(MiB, 7))).toBe(true);
    expect(statSync(diskPathOf(dataDir, 'slc_w')).size).toBe(2 * MiB);
    expect(statSync(diskPathOf(dataDir, 'slc_w')).blocks).toBe(0);
  });

  it('refuses to write an image onto a running slice', async () => {
    await driver.createDisk('slc_r', MiB);
    await driver.powerOn('slc_r');

    await expect(driver.prepareImageTarget('slc_r', MiB)).rejects.toMatchObject({
      name: 'SlicePoweredOn',
    });
  });

  it('keeps the replaced disk under a rollback id and puts it back byte for byte', async () => {
    await driver.createDisk('slc_b', MiB);
    writeFileSync(diskPathOf(dataDir, 'slc_b'), Buffer.alloc(MiB, 3));

    const target = await driver.prepareImageTarget('slc_b', MiB, { rollbackId: 'op_1' });
    writeFileSync(`/proc/self/fd/${target.fd}`, Buffer.alloc(MiB, 4));
    await target.commit();
    const restored = readFileSync(diskPathOf(dataDir, 'slc_b'));
    const rolledBack = await driver.rollBack('slc_b', 'op_1');
    const again = await driver.rollBack('slc_b', 'op_1');

    expect(restored.equals(Buffer.alloc(MiB, 4))).toBe(true);
    expect(rolledBack).toBe(true);
    expect(readFileSync(diskPathOf(dataDir, 'slc_b')).equals(Buffer.alloc(MiB, 3))).toBe(true);
    expect(again).toBe(false);
  });

  it('keeps the first replaced disk when a write under the same rollback id is retried', async () => {
    await driver.createDisk('slc_t', MiB);
    writeFileSync(diskPathOf(dataDir, 'slc_t'), Buffer.alloc(MiB, 5));

    for (const fill of [6, 6]) {
      const target = await driver.prepareImageTarget('slc_t', MiB, { rollbackId: 'op_2' });
      writeFileSync(`/proc/self/fd/${target.fd}`, Buffer.alloc(MiB, fill));
      await target.commit();
    }
    await driver.rollBack('slc_t', 'op_2');

    expect(readFileSync(diskPathOf(dataDir, 'slc_t')).equals(Buffer.alloc(MiB, 5))).toBe(true);
  });

  it('refuses to roll back a running slice and discards a rollback idempotently', async () => {
    await driver.createDisk('slc_q', MiB);
    const target = await driver.prepareImageTarget('slc_q', MiB, { rollbackId: 'op_3' });
    await target.commit();
    await driver.powerOn('slc_q');

    const refused = driver.rollBack('slc_q', 'op_3');
    await expect(refused).rejects.toMatchObject({ name: 'SlicePoweredOn' });
    const discarded = await driver.discardRollback('slc_q', 'op_3');
    const twice = await driver.discardRollback('slc_q', 'op_3');

    expect([discarded, twice]).toEqual([true, false]);
    expect(await driver.rollBack('slc_q', 'op_3')).toBe(false);
  });
});
