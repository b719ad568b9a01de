import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import { dirname } from 'node:path';
import type { Accel } from './qemu-vm.ts';

export type AccelSetting = 'auto' | Accel;

export interface AccelChoice {
  readonly accel: Accel;
  /** Why: the setting, or what the probe saw. */
  readonly reason: string;
}

/**
 * Boots `kernel` under KVM with no root filesystem: a guest that runs panics at once and, with
 * `panic=-1` and `-no-reboot`, QEMU exits. A nested host whose /dev/kvm opens but cannot run a
 * guest hangs or aborts instead (measured here: 60 s of system time and no output).
 */
async function kvmBootsGuest(binary: string, kernel: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(
      binary,
      [
        ...['-accel', 'kvm', '-machine', 'q35', '-cpu', 'host', '-m', '128', '-nodefaults'],
        ...['-no-user-config', '-display', 'none', '-no-reboot', '-serial', 'stdio'],
        ...['-kernel', kernel, '-append', 'console=ttyS0 panic=-1 root=/dev/nonexistent'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4096);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(`could not start: ${error.message}`);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(`a guest under KVM did not finish in ${timeoutMs} ms`);
      else if (/Kernel panic|Linux version/.test(output)) resolve('ok');
      else resolve(`a guest under KVM failed (exit ${code}): ${output.trim().split('\n').at(-1)}`);
    });
  });
}

/**
 * KVM where it really runs a guest, TCG otherwise; `kvm` and `tcg` settings are taken as said.
 * A probe's verdict is kept in `cacheFile` for this QEMU, kernel and host kernel, since a hanging
 * KVM costs the whole time limit at every start.
 */
export async function chooseAccel(options: {
  readonly setting: AccelSetting;
  readonly binary: string;
  readonly kernel: string;
  readonly timeoutMs?: number;
  readonly cacheFile?: string;
}): Promise<AccelChoice> {
  if (options.setting !== 'auto') return { accel: options.setting, reason: 'configured' };
  const key = `${options.binary}|${options.kernel}|${release()}`;
  if (options.cacheFile) {
    const cached = await readVerdict(options.cacheFile);
    if (cached?.key === key && cached.choice) {
      return { ...cached.choice, reason: `${cached.choice.reason} (probed before)` };
    }
  }
  const choice = await probe(options);
  if (options.cacheFile) await keepVerdict(options.cacheFile, { key, choice });
  return choice;
}

interface Verdict {
  readonly key?: string;
  readonly choice?: AccelChoice;
}

/** A missing or unreadable file is no verdict: the probe runs again and writes a good one. */
async function readVerdict(file: string): Promise<Verdict | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Verdict;
  } catch {
    return null;
  }
}

/**
 * The agents of one host start together and share the file, so each writes it whole under a name
 * of its own and renames it into place: a reader sees the old file or the new one, never half.
 */
async function keepVerdict(file: string, verdict: Verdict): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${randomUUID()}.partial`;
  await writeFile(partial, JSON.stringify(verdict));
  await rename(partial, file);
}

async function probe(options: {
  readonly binary: string;
  readonly kernel: string;
  readonly timeoutMs?: number;
}): Promise<AccelChoice> {
  const openable = await access('/dev/kvm', constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!openable) return { accel: 'tcg', reason: '/dev/kvm is missing or not accessible' };
  const verdict = await kvmBootsGuest(options.binary, options.kernel, options.timeoutMs ?? 10_000);
  return verdict === 'ok'
    ? { accel: 'kvm', reason: 'a probe guest booted under KVM' }
    : { accel: 'tcg', reason: verdict };
}
