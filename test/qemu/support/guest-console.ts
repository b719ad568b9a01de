import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import {
  aptInstallHint,
  type DemoGuest,
  findGuestPrerequisites,
} from '../../../agent/guest/demo-guest.ts';

/** Whether QEMU and the demo guest's parts are installed, or the `apt-get` line that installs them. */
export type QemuAvailability =
  | { ok: true; qemu: string; kernel: string; modulesDir: string; busybox: string }
  | { ok: false; missing: string[]; install: string };

const isExecutable = (path: string) =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (await isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** Checks for qemu-system-x86_64, qemu-img, a kernel with virtio modules and a static busybox. */
export async function qemuAvailability(): Promise<QemuAvailability> {
  const qemu = await findOnPath('qemu-system-x86_64');
  const missing = [
    ...(qemu ? [] : ['qemu-system-x86']),
    ...((await findOnPath('qemu-img')) ? [] : ['qemu-utils']),
  ];
  const guest = await findGuestPrerequisites();
  if (!guest.ok) missing.push(...guest.missing);
  if (guest.ok && qemu && missing.length === 0) return { ...guest, qemu };
  return { ok: false, missing, install: aptInstallHint(missing) };
}

/** Connects to a unix socket QEMU is about to create, retrying until it listens. */
async function connectWhenListening(path: string, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(path);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * The guest's serial console over QEMU's `-chardev socket`. Lines are consumed in order:
 * `waitForLine` looks only at lines after the previous match, so a test reads the console
 * the way it was written.
 */
export class GuestConsole {
  /** Every complete line received, without `\r\n`. */
  readonly lines: string[] = [];
  private cursor = 0;
  private partial = '';
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      const parts = (this.partial + text).split(/\r*\n/);
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const wake of this.waiters) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
  }

  /** Connects to `path` as soon as QEMU listens there (within `timeoutMs`). */
  static async connect(path: string, timeoutMs = 10_000): Promise<GuestConsole> {
    return new GuestConsole(await connectWhenListening(path, timeoutMs));
  }

  /** The next line matching `pattern`; rejects after `timeoutMs` or when the console closes. */
  waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (; this.cursor < this.lines.length; this.cursor++) {
          const match = this.lines[this.cursor]?.match(pattern);
          if (match) {
            this.cursor++;
            done();
            resolve(match);
            return;
          }
        }
        if (this.closed) fail('the console closed');
      };
      const fail = (why: string) => {
        done();
        const tail = this.lines.slice(-15).join('\n  ');
        reject(new Error(`${why} before a line matched ${pattern}; last lines:\n  ${tail}`));
      };
      const timer = setTimeout(() => fail(`${timeoutMs} ms passed`), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends one line to the guest. */
  send(line: string): void {
    this.socket.write(`${line}\n`);
  }

  /**
   * Sends a guest command and returns its answer: the next `slice-guest: ok <first word> …` line.
   * An `slice-guest: error …` answer rejects.
   */
  async command(line: string, timeoutMs = 30_000): Promise<string> {
    const word = line.split(' ')[0] ?? '';
    this.send(line);
    const [answer] = await this.waitForLine(
      new RegExp(`^slice-guest: (ok ${word}\\b|error ).*$`),
      timeoutMs,
    );
    if (answer.startsWith('slice-guest: error')) throw new Error(`${line}: ${answer}`);
    return answer;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Runs one QMP command on a fresh connection and returns its `return` value. */
export async function qmpExecute(
  path: string,
  execute: string,
  args?: Record<string, unknown>,
): Promise<unknown> {
  const socket = await connectWhenListening(path, 10_000);
  try {
    const replies: Record<string, unknown>[] = [];
    let buffered = '';
    let wake = () => {};
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      const parts = (buffered + text).split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) if (part.trim()) replies.push(JSON.parse(part));
      wake();
    });
    socket.on('close', () => wake());
    // Events (`{"event": …}`) may come between replies; only greetings and results count.
    const next = async (key: 'QMP' | 'result'): Promise<Record<string, unknown>> => {
      for (;;) {
        const index = replies.findIndex((reply) =>
          key === 'QMP' ? 'QMP' in reply : 'return' in reply || 'error' in reply,
        );
        if (index >= 0) return replies.splice(0, index + 1).at(-1)!;
        if (socket.destroyed) throw new Error(`QMP ${execute}: the socket closed`);
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    };
    const run = async (command: string, commandArgs?: Record<string, unknown>) => {
      socket.write(`${JSON.stringify({ execute: command, arguments: commandArgs })}\n`);
      const reply = await next('result');
      if ('error' in reply) throw new Error(`QMP ${command}: ${JSON.stringify(reply.error)}`);
      return reply.return;
    };
    await next('QMP');
    await run('qmp_capabilities');
    return await run(execute, args);
  } finally {
    socket.destroy();
  }
}

/** The QEMU command line that boots the demo guest on a raw disk, console and QMP under `dir`. */
export function demoGuestQemuArgs(guest: DemoGuest, disk: string, dir: string): string[] {
  return [
    ...['-accel', 'tcg', '-machine', 'q35', '-cpu', 'max', '-m', '256', '-smp', '1'],
    ...['-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot'],
    ...['-kernel', guest.kernel, '-initrd', guest.initrd, '-append', guest.cmdline],
    ...['-blockdev', `driver=file,filename=${disk},node-name=disk-file`],
    ...['-blockdev', 'driver=raw,file=disk-file,node-name=disk'],
    ...['-device', 'virtio-blk-pci,drive=disk'],
    '-chardev',
    `socket,id=serial0,path=${dir}/console.sock,server=on,wait=off` +
      `,logfile=${dir}/console.log,logappend=on`,
    ...['-serial', 'chardev:serial0'],
    ...['-qmp', `unix:${dir}/qmp.sock,server=on,wait=off`],
  ];
}

/** A demo guest running under QEMU, its console connected. */
export interface RunningGuest {
  readonly process: ChildProcess;
  readonly console: GuestConsole;
  /** Settles with QEMU's exit code when it exits on its own or is killed. */
  readonly exited: Promise<number | null>;
  /** QEMU's exit code once it exits; rejects if it still runs after `timeoutMs`. */
  waitForExit(timeoutMs?: number): Promise<number | null>;
  /** Runs a QMP command (capabilities negotiated on each call). */
  qmp(execute: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Kills QEMU if it still runs and closes the console. */
  kill(): Promise<void>;
}

/** Starts QEMU on `disk` with sockets and logs in `dir` and connects to its console. */
export async function launchDemoGuest(
  qemu: string,
  guest: DemoGuest,
  disk: string,
  dir: string,
): Promise<RunningGuest> {
  const child = spawn(qemu, demoGuestQemuArgs(guest, disk, dir), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
  });
  const failed = exited.then((code) => {
    throw new Error(`QEMU exited (${code}) before its console listened: ${stderr.trim()}`);
  });
  failed.catch(() => undefined);
  const guestConsole = await Promise.race([
    GuestConsole.connect(join(dir, 'console.sock')),
    failed,
  ]).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    process: child,
    console: guestConsole,
    exited,
    qmp: (execute, args) => qmpExecute(join(dir, 'qmp.sock'), execute, args),
    waitForExit(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`QEMU still runs after ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
    async kill() {
      guestConsole.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

const MiB = 1024 * 1024;
const RECORD_BYTES = 64;

/** What the demo guest left on a raw disk: its boot count and its journal records, trimmed. */
export async function readGuestDisk(path: string): Promise<{ boots: number; records: string[] }> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(4096);
    await file.read(header, 0, header.length, 0);
    const boots = /^slice-guest boots=(\d+)\n/.exec(header.toString('latin1'))?.[1];
    const journal = Buffer.alloc(63 * MiB);
    await file.read(journal, 0, journal.length, MiB);
    const records: string[] = [];
    for (let at = 0; at < journal.length && journal[at] !== 0; at += RECORD_BYTES) {
      records.push(journal.toString('latin1', at, at + RECORD_BYTES).trimEnd());
    }
    return { boots: Number(boots ?? 0), records };
  } finally {
    await file.close();
  }
}
