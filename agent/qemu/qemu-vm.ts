import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type Accel = 'kvm' | 'tcg';

/** What the VM boots: a kernel, its initramfs and command line (the demo guest, or a host's own). */
export interface GuestBoot {
  readonly kernel: string;
  readonly initrd: string;
  readonly cmdline: string;
}

export interface VmSpec {
  readonly accel: Accel;
  readonly memoryMb: number;
  readonly vcpus: number;
  readonly guest: GuestBoot;
}

/** The files of one slice's VM, all in the slice's folder beside its disk. */
export interface VmPaths {
  readonly disk: string;
  readonly qmp: string;
  readonly pidfile: string;
  readonly consoleSocket: string;
  readonly consoleLog: string;
  readonly guestAgentSocket: string;
  readonly nbdSocket: string;
  /** The spec a running VM was started with (its memory counts against the host's). */
  readonly spec: string;
}

export function vmPathsOf(sliceDir: string, diskFile: string): VmPaths {
  return {
    disk: join(sliceDir, diskFile),
    qmp: join(sliceDir, 'qmp.sock'),
    pidfile: join(sliceDir, 'qemu.pid'),
    consoleSocket: join(sliceDir, 'console.sock'),
    consoleLog: join(sliceDir, 'console.log'),
    guestAgentSocket: join(sliceDir, 'qga.sock'),
    nbdSocket: join(sliceDir, 'nbd.sock'),
    spec: join(sliceDir, 'vm.json'),
  };
}

/** The block node the guest's disk is, in QMP commands. */
export const DISK_NODE = 'disk';
/** The chardev of the guest agent's virtio-serial port. */
export const GUEST_AGENT_CHARDEV = 'qga0';

/**
 * The command line of a slice's VM. It starts paused (`-S`) so the driver can arm changed-block
 * tracking before the guest writes a byte, and daemonizes so it outlives the agent.
 */
export function qemuArgs(name: string, paths: VmPaths, spec: VmSpec): string[] {
  const socket = (id: string, path: string, extra = '') =>
    `socket,id=${id},path=${path},server=on,wait=off${extra}`;
  return [
    ...['-name', name, '-accel', spec.accel, '-machine', 'q35'],
    ...['-cpu', spec.accel === 'kvm' ? 'host' : 'max'],
    ...['-m', String(spec.memoryMb), '-smp', String(spec.vcpus)],
    ...['-nodefaults', '-no-user-config', '-display', 'none', '-S', '-no-reboot'],
    ...['-kernel', spec.guest.kernel, '-initrd', spec.guest.initrd, '-append', spec.guest.cmdline],
    ...[
      '-blockdev',
      `driver=file,filename=${paths.disk},node-name=${DISK_NODE}-file,discard=unmap`,
    ],
    ...['-blockdev', `driver=raw,file=${DISK_NODE}-file,node-name=${DISK_NODE},discard=unmap`],
    ...['-device', `virtio-blk-pci,drive=${DISK_NODE},id=vd0`],
    ...[
      '-chardev',
      socket('serial0', paths.consoleSocket, `,logfile=${paths.consoleLog},logappend=on`),
    ],
    ...['-serial', 'chardev:serial0'],
    ...['-chardev', socket(GUEST_AGENT_CHARDEV, paths.guestAgentSocket)],
    ...[
      '-device',
      'virtio-serial-pci',
      '-device',
      `virtserialport,chardev=${GUEST_AGENT_CHARDEV},name=org.qemu.guest_agent.0`,
    ],
    ...['-qmp', `unix:${paths.qmp},server=on,wait=off`],
    ...['-pidfile', paths.pidfile, '-daemonize'],
  ];
}

/**
 * Starts the VM detached (QEMU's own `-daemonize`: a new session, no terminal, reparented away
 * from the agent) and returns its pid once QEMU has set everything up, or fails with its words.
 */
export async function launchVm(binary: string, args: readonly string[]): Promise<number> {
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const err: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const text = Buffer.concat(err).toString().trim();
      if (code === 0) resolve(text);
      else reject(new Error(`qemu exited with ${code}: ${text}`));
    });
  });
  const pidfile = args[args.indexOf('-pidfile') + 1] ?? '';
  const pid = await readPid(pidfile);
  if (pid === null) throw new Error(`qemu started without a pidfile: ${stderr}`);
  return pid;
}

export async function readPid(pidfile: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(pidfile, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is a live QEMU of this disk: the pid may have been reused since the pidfile was
 * written, and a daemonized QEMU whose reaper is not reaping stays a zombie after it exits.
 */
export async function isVmAlive(pid: number, diskPath: string): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(`filename=${diskPath},`);
  } catch {
    return false;
  }
}

/** Resolves true once the VM is gone, false if it still runs after `timeoutMs`. */
export async function waitForVmExit(
  pid: number,
  diskPath: string,
  timeoutMs: number,
  gone?: Promise<void>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let closed = false;
  void gone?.then(() => {
    closed = true;
  });
  while (Date.now() < deadline) {
    if (!(await isVmAlive(pid, diskPath))) return true;
    // The QMP socket closing is the fast signal; /proc is checked again right after it.
    await new Promise((resolve) => setTimeout(resolve, closed ? 5 : 25));
  }
  return !(await isVmAlive(pid, diskPath));
}
