import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseAccel } from '../../agent/qemu/accel-probe.ts';
import { findQemu } from '../../agent/qemu/availability.ts';

const dir = mkdtempSync(join(tmpdir(), 'accel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('chooseAccel', () => {
  it('decides by booting a probe guest, says why, and keeps the verdict for the next start', async () => {
    const qemu = await findQemu();
    if (!qemu.ok) throw new Error(qemu.install);
    const cacheFile = join(dir, 'accel.json');
    const options = { setting: 'auto', binary: qemu.qemu, kernel: qemu.kernel, cacheFile } as const;

    const first = await chooseAccel({ ...options, timeoutMs: 8000 });
    const started = performance.now();
    const second = await chooseAccel({ ...options, timeoutMs: 8000 });

    expect(['kvm', 'tcg']).toContain(first.accel);
    expect(first.reason).toMatch(
      first.accel === 'kvm' ? /booted under KVM/ : /KVM|kvm|not accessible/,
    );
    expect(second).toEqual({ accel: first.accel, reason: `${first.reason} (probed before)` });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toMatchObject({ choice: first });
  });

  it('probes again over a torn verdict file, and agents starting together all get one', async () => {
    const qemu = await findQemu();
    if (!qemu.ok) throw new Error(qemu.install);
    const shared = join(dir, 'shared');
    const cacheFile = join(shared, 'accel.json');
    const options = { setting: 'auto', binary: qemu.qemu, kernel: qemu.kernel, cacheFile } as const;
    const first = await chooseAccel({ ...options, timeoutMs: 8000 });
    writeFileSync(cacheFile, '');

    const choices = await Promise.all(
      Array.from({ length: 4 }, () => chooseAccel({ ...options, timeoutMs: 8000 })),
    );

    expect(choices.map((choice) => choice.accel)).toEqual(Array(4).fill(first.accel));
    expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toMatchObject({ choice: first });
    expect(readdirSync(shared)).toEqual(['accel.json']);
  });

  it('takes an explicit setting as said, without a probe', async () => {
    const choice = await chooseAccel({ setting: 'tcg', binary: '/nonexistent', kernel: '/none' });

    expect(choice).toEqual({ accel: 'tcg', reason: 'configured' });
  });
});
