import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import {
  access,
  copyFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

/*
 * A tiny guest that shows a slice is a real VM: a Debian cloud kernel, a busybox initramfs and
 * `init.sh`, which keeps a journal on the raw disk and answers commands on the serial console.
 *
 * The disk is raw, at least 128 MiB. Its first 4 KiB hold the header `slice-guest boots=<N>\n`;
 * anything else there means a fresh disk, assumed zeroed. From 1 MiB to 64 MiB lies the journal of
 * 64-byte records (space-padded, ending in `\n`), contiguous from 1 MiB, each written by one synced
 * write: `boot <N>`, `mark <word> <seq>`, `tick <seq>`, `shutdown <N>`, where seq is the record's
 * 1-based position in the journal. From 64 MiB on, only the `write` command writes.
 *
 * On the console (ttyS0) each command and event answers one line, and every guest line starts with
 * `slice-guest: `:
 *   boot:         `boot=<N> records=<count> last=<text>` (count and last record found on the disk
 *                 before this boot's `boot <N>` record; `last=` is empty on a fresh disk), `ready`
 *   mark <word>:  `ok mark <word> <seq>` (word: [A-Za-z0-9_.-], at most 40 characters)
 *   ticker start <ms>: `ok ticker start <ms>`; a `tick <seq>` record every <ms> ms (or slower: each
 *                 record is synced, tens of ms under TCG)
 *   ticker stop:  `ok ticker stop <seq of the last tick, 0 if none>`
 *   write <offsetMiB ≥ 64> <countMiB>: random bytes, synced, then `ok write <offsetMiB> <countMiB>`
 *   ignore-acpi:  `ok ignore-acpi`; the power button then only prints `power button ignored`
 *   status:       `ok status boot=<N> records=<count>`
 *   power button: appends `shutdown <N>`, syncs, prints `powering off`, powers off (QEMU exits)
 *   anything else or bad arguments: `error <why>`
 * Commands run one at a time; `mark`, `ticker stop` and `status` are answered by the journal
 * writer, in order with the records before them. A power button press before `ready` is lost
 * (acpid is not listening yet): press again.
 */

/** Bump when the initramfs layout or its module set changes: cached guests are then rebuilt. */
const FORMAT_VERSION = 1;
const BUSYBOX = '/bin/busybox';
/** virtio over PCI for `/dev/vda`; button and evdev put the ACPI power button on an input device. */
const GUEST_MODULES = ['virtio_pci', 'virtio_blk', 'button', 'evdev'];

/** Kernel command line for QEMU's `-append`; pair it with `-no-reboot` so a panic ends QEMU. */
export const DEMO_GUEST_CMDLINE = 'console=ttyS0 quiet panic=-1';

/** A bootable guest, cached and self-contained: `-kernel`, `-initrd`, `-append`. */
export interface DemoGuest {
  kernel: string;
  initrd: string;
  cmdline: string;
  /** Short hash of the kernel version, `init.sh` and the builder's format version. */
  version: string;
}

/** What the guest is built from, or the Debian packages to install first. */
export type GuestPrerequisites =
  | { ok: true; kernel: string; modulesDir: string; busybox: string }
  | { ok: false; missing: string[]; install: string };

/** The install command for Debian packages. */
export function aptInstallHint(packages: string[]): string {
  return `apt-get install -y ${packages.join(' ')}`;
}

async function isReadable(path: string): Promise<boolean> {
  return access(path, constants.R_OK).then(
    () => true,
    () => false,
  );
}

/** Whether `path` is an ELF64 executable without an interpreter (PT_INTERP), i.e. static. */
async function isStaticElf(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const header = Buffer.alloc(64);
    await file.read(header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2) return false;
    const phoff = Number(header.readBigUInt64LE(0x20));
    const phentsize = header.readUInt16LE(0x36);
    const phnum = header.readUInt16LE(0x38);
    const table = Buffer.alloc(phentsize * phnum);
    await file.read(table, 0, table.length, phoff);
    const PT_INTERP = 3;
    for (let i = 0; i < phnum; i++) {
      if (table.readUInt32LE(i * phentsize) === PT_INTERP) return false;
    }
    return true;
  } finally {
    await file.close();
  }
}

/**
 * Finds the newest kernel whose module tree has virtio_blk (a `-cloud-amd64` one first) and a
 * static busybox. Reports the missing Debian packages otherwise. Modules must be uncompressed
 * (`.ko`, as in Debian 12), since they are copied as they are for busybox modprobe.
 */
export async function findGuestPrerequisites(): Promise<GuestPrerequisites> {
  const versions = (await readdir('/boot').catch(() => []))
    .filter((name) => name.startsWith('vmlinuz-'))
    .map((name) => name.slice('vmlinuz-'.length))
    .sort((a, b) => {
      const cloud = Number(b.endsWith('-cloud-amd64')) - Number(a.endsWith('-cloud-amd64'));
      return cloud || b.localeCompare(a, 'en', { numeric: true });
    });
  let kernel: { kernel: string; modulesDir: string } | undefined;
  for (const version of versions) {
    const modulesDir = `/lib/modules/${version}`;
    const dep = await readFile(join(modulesDir, 'modules.dep'), 'utf8').catch(() => '');
    if (/\/virtio_blk\.ko:/.test(dep) && (await isReadable(`/boot/vmlinuz-${version}`))) {
      kernel = { kernel: `/boot/vmlinuz-${version}`, modulesDir };
      break;
    }
  }
  const missing: string[] = [];
  if (!kernel) missing.push('linux-image-cloud-amd64');
  if (!(await isStaticElf(BUSYBOX))) missing.push('busybox-static');
  if (kernel && missing.length === 0) return { ok: true, ...kernel, busybox: BUSYBOX };
  return { ok: false, missing, install: aptInstallHint(missing) };
}

/** One entry of a newc cpio archive; every entry belongs to root, with mtime 0. */
type CpioEntry =
  | { path: string; kind: 'dir' }
  | { path: string; kind: 'file'; data: Buffer; mode: number }
  | { path: string; kind: 'symlink'; target: string }
  | { path: string; kind: 'char'; major: number; minor: number };

function cpioFields(entry: CpioEntry): { mode: number; data: Buffer; rdev: [number, number] } {
  switch (entry.kind) {
    case 'dir':
      return { mode: 0o040755, data: Buffer.alloc(0), rdev: [0, 0] };
    case 'file':
      return { mode: 0o100000 | entry.mode, data: entry.data, rdev: [0, 0] };
    case 'symlink':
      return { mode: 0o120777, data: Buffer.from(entry.target), rdev: [0, 0] };
    case 'char':
      return { mode: 0o020600, data: Buffer.alloc(0), rdev: [entry.major, entry.minor] };
  }
}

/** An uncompressed newc ("070701") cpio archive, the format the kernel unpacks as initramfs. */
function writeNewcCpio(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  const push = (bytes: Buffer) => {
    const padded = Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
    parts.push(padded);
    size += padded.length;
  };
  const hex = (value: number) => value.toString(16).padStart(8, '0');
  const trailer: CpioEntry = { path: 'TRAILER!!!', kind: 'file', data: Buffer.alloc(0), mode: 0 };
  [...entries, trailer].forEach((entry, index) => {
    const { mode, data, rdev } = cpioFields(entry);
    const name = Buffer.from(`${entry.path}\0`);
    // ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
    const fields = [index + 1, mode, 0, 0, 1, 0, data.length, 0, 0, ...rdev, name.length, 0];
    // The header (110 bytes) and the name are padded to 4 bytes together, then the data.
    push(Buffer.concat([Buffer.from(`070701${fields.map(hex).join('')}`), name]));
    if (data.length > 0) push(data);
  });
  return Buffer.concat(parts, size);
}

/** Names in modules.dep are paths; modprobe names use `_` for `-`. */
const moduleName = (path: string) =>
  posix
    .basename(path)
    .replace(/\.ko(\.\w+)?$/, '')
    .replaceAll('-', '_');

/** The wanted modules and everything they depend on, as modules.dep paths, with their lines. */
function moduleClosure(modulesDep: string, wanted: string[]): Map<string, string> {
  const deps = new Map<string, { line: string; needs: string[] }>();
  const byName = new Map<string, string>();
  for (const line of modulesDep.split('\n')) {
    const [path, rest] = line.split(':');
    if (!path || rest === undefined) continue;
    deps.set(path, { line, needs: rest.trim().split(/\s+/).filter(Boolean) });
    byName.set(moduleName(path), path);
  }
  const chosen = new Map<string, string>();
  const visit = (path: string) => {
    const entry = deps.get(path);
    if (!entry || chosen.has(path)) return;
    chosen.set(path, entry.line);
    for (const need of entry.needs) visit(need);
  };
  for (const name of wanted) {
    const path = byName.get(name);
    // No such module: built into this kernel (modules.builtin), nothing to copy.
    if (path) visit(path);
  }
  return chosen;
}

/** The gzip'd initramfs: busybox and its applet links, `/init`, the acpid handler, the modules. */
async function buildInitramfs(
  prerequisites: Extract<GuestPrerequisites, { ok: true }>,
  kernelVersion: string,
  initScript: string,
): Promise<Buffer> {
  const entries: CpioEntry[] = [];
  const dirs = new Set<string>();
  const addDir = (path: string) => {
    if (path === '.' || dirs.has(path)) return;
    addDir(posix.dirname(path));
    dirs.add(path);
    entries.push({ path, kind: 'dir' });
  };
  const add = (entry: CpioEntry) => {
    addDir(posix.dirname(entry.path));
    entries.push(entry);
  };
  const addFile = (path: string, data: Buffer | string, mode = 0o644) =>
    add({ path, kind: 'file', data: Buffer.from(data), mode });

  for (const dir of ['dev', 'proc', 'sys', 'run', 'tmp']) addDir(dir);
  // The kernel opens /dev/console for /init before anything can mount devtmpfs.
  add({ path: 'dev/console', kind: 'char', major: 5, minor: 1 });
  addFile('init', initScript, 0o755);
  // busybox acpid maps KEY_POWER to the action PWRF/00000080 under its config directory.
  addFile('etc/acpi/PWRF/00000080', '#!/bin/sh\nexec /init power-button\n', 0o755);
  addFile('bin/busybox', await readFile(prerequisites.busybox), 0o755);
  const { stdout } = await promisify(execFile)(prerequisites.busybox, ['--list-full']);
  for (const applet of stdout.split('\n').filter(Boolean)) {
    // The list names busybox itself too.
    if (applet !== 'bin/busybox') add({ path: applet, kind: 'symlink', target: '/bin/busybox' });
  }

  const source = prerequisites.modulesDir;
  const target = `lib/modules/${kernelVersion}`;
  const chosen = moduleClosure(await readFile(join(source, 'modules.dep'), 'utf8'), GUEST_MODULES);
  for (const path of chosen.keys()) {
    addFile(`${target}/${path}`, await readFile(join(source, path)));
  }
  const names = new Set([...chosen.keys()].map(moduleName));
  const aliases = (await readFile(join(source, 'modules.alias'), 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => names.has(line.split(' ')[2] ?? ''));
  addFile(`${target}/modules.dep`, [...chosen.values(), ''].join('\n'));
  addFile(`${target}/modules.alias`, [...aliases, ''].join('\n'));
  const builtin = await readFile(join(source, 'modules.builtin')).catch(() => undefined);
  if (builtin) addFile(`${target}/modules.builtin`, builtin);
  return gzipSync(writeNewcCpio(entries));
}

/**
 * Builds the demo guest once per version under `<cacheDir>/guest/<version>/` and returns it.
 * A build happens in a private temporary directory renamed into place, so concurrent callers,
 * in this process or others, never see a partial guest: the first rename wins, later ones are
 * thrown away.
 */
export async function ensureDemoGuest(cacheDir: string): Promise<DemoGuest> {
  const prerequisites = await findGuestPrerequisites();
  if (!prerequisites.ok) {
    throw new Error(`The demo guest needs Debian packages: ${prerequisites.install}`);
  }
  const kernelVersion = posix.basename(prerequisites.kernel).slice('vmlinuz-'.length);
  const initScript = await readFile(new URL('./init.sh', import.meta.url), 'utf8');
  const version = createHash('sha256')
    .update(`${FORMAT_VERSION}\n${kernelVersion}\n${initScript}`)
    .digest('hex')
    .slice(0, 12);
  const dir = join(cacheDir, 'guest', version);
  const guest: DemoGuest = {
    kernel: join(dir, 'vmlinuz'),
    initrd: join(dir, 'initrd.img'),
    cmdline: DEMO_GUEST_CMDLINE,
    version,
  };
  if (await isReadable(guest.initrd)) return guest;

  const temp = join(dirname(dir), `.build-${version}-${randomUUID()}`);
  await mkdir(temp, { recursive: true });
  try {
    await copyFile(prerequisites.kernel, join(temp, 'vmlinuz'));
    const initrd = await buildInitramfs(prerequisites, kernelVersion, initScript);
    await writeFile(join(temp, 'initrd.img'), initrd);
    await rename(temp, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another builder renamed its copy first; theirs is complete and identical.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return guest;
}
