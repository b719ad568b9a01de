import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import {
  access,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { AgentFailure } from '../errors.ts';
import type { CaptureResult, PowerResult, PowerState, StatusResult } from '../protocol/commands.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import { cloneOrCopySparse } from './copy-sparse.ts';
import { findDataRegions } from './data-regions.ts';
import type { DiskDriver, DiskScan, ReadableDisk, WritableDisk } from './disk-driver.ts';

export interface FileDriverOptions {
  /** Root of the slices: `<dataDir>/slices/<sliceId>/disk.raw`. */
  readonly dataDir: string;
  /** How long the simulated guest takes to shut down when asked; default 20 ms. */
  readonly guestShutdownMs?: number;
  /**
   * Where the power state comes from when a real hypervisor owns it (the QEMU driver keeps disks
   * the way this driver does and answers power from its VMs); default: the state file.
   */
  readonly powerOf?: (sliceId: string) => Promise<PowerState>;
}

/** A file whose presence makes the simulated guest ignore shutdown requests (a hung guest). */
export const GUEST_IGNORES_SHUTDOWN = 'guest-ignores-shutdown';
const DISK_FILE = 'disk.raw';
const STATE_FILE = 'state.json';
const CAPTURES = 'captures';
const ROLLBACKS = 'rollbacks';
const INCOMING = '.incoming-';
const PARTIAL = '.partial';

interface SliceState {
  power: PowerState;
  updatedAt: string;
}

/** Where the file driver keeps a slice's disk: what `npm run local -- disk-path <id>` prints. */
export function diskPathOf(dataDir: string, sliceId: string): string {
  return join(dataDir, 'slices', sliceId, DISK_FILE);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function exists(path: string): Promise<boolean> {
  return access(path, constants.F_OK).then(
    () => true,
    () => false,
  );
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}${INCOMING}${randomUUID()}`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The local default and the reference driver. A slice's disk is a sparse raw file and its power
 * state a small JSON file beside it; there is no real guest, so power is bookkeeping plus a
 * simulated shutdown delay. Captures are reflinks or sparse copies in `captures/`.
 */
export class FileDiskDriver implements DiskDriver {
  readonly #dataDir: string;
  readonly #guestShutdownMs: number;
  readonly #powerOf: ((sliceId: string) => Promise<PowerState>) | undefined;

  constructor(options: FileDriverOptions) {
    this.#dataDir = options.dataDir;
    this.#guestShutdownMs = options.guestShutdownMs ?? 20;
    this.#powerOf = options.powerOf;
  }

  async #power(sliceId: string): Promise<PowerState> {
    return this.#powerOf ? this.#powerOf(sliceId) : (await this.#readState(sliceId)).power;
  }

  #sliceDir(sliceId: string): string {
    return join(this.#dataDir, 'slices', sliceId);
  }

  #diskPath(sliceId: string): string {
    return diskPathOf(this.#dataDir, sliceId);
  }

  #capturePath(sliceId: string, captureId: string): string {
    return join(this.#sliceDir(sliceId), CAPTURES, `${captureId}.raw`);
  }

  #rollbackPath(sliceId: string, rollbackId: string): string {
    return join(this.#sliceDir(sliceId), ROLLBACKS, `${rollbackId}.raw`);
  }

  async #refuseIfPoweredOn(sliceId: string, doing: string): Promise<void> {
    if ((await this.#power(sliceId)) === 'on') {
      throw new AgentFailure(
        AGENT_ERRORS.SlicePoweredOn,
        `slice ${sliceId} is powered on; power it off before ${doing}`,
      );
    }
  }

  async #readState(sliceId: string): Promise<SliceState> {
    try {
      return JSON.parse(await readFile(join(this.#sliceDir(sliceId), STATE_FILE), 'utf8'));
    } catch (error) {
      if (isMissing(error)) return { power: 'off', updatedAt: new Date(0).toISOString() };
      throw error;
    }
  }

  async #writeState(sliceId: string, power: PowerState): Promise<void> {
    const state: SliceState = { power, updatedAt: new Date().toISOString() };
    await writeAtomically(join(this.#sliceDir(sliceId), STATE_FILE), JSON.stringify(state));
  }

  async #requireDisk(sliceId: string): Promise<number> {
    const size = await this.diskSize(sliceId);
    if (size === null)
      throw new AgentFailure(AGENT_ERRORS.DiskNotFound, `slice ${sliceId} has no disk`);
    return size;
  }

  async recover(): Promise<void> {
    const slicesDir = join(this.#dataDir, 'slices');
    await mkdir(slicesDir, { recursive: true });
    for (const sliceId of await readdir(slicesDir)) {
      const sliceDir = join(slicesDir, sliceId);
      for (const name of await readdir(sliceDir).catch(() => [] as string[])) {
        if (name.includes(INCOMING)) await rm(join(sliceDir, name), { force: true });
      }
      const capturesDir = join(sliceDir, CAPTURES);
      for (const name of await readdir(capturesDir).catch(() => [] as string[])) {
        if (name.endsWith(PARTIAL)) await rm(join(capturesDir, name), { force: true });
      }
    }
  }

  async diskSize(sliceId: string): Promise<number | null> {
    try {
      return (await stat(this.#diskPath(sliceId))).size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Sparse files track no changed blocks: the scan finds the data, never what changed. */
  async scan(sliceId: string): Promise<DiskScan> {
    const diskBytes = await this.diskSize(sliceId);
    if (diskBytes === null) {
      throw new AgentFailure(AGENT_ERRORS.DiskNotFound, `slice ${sliceId} has no disk`);
    }
    const dataRegions = await findDataRegions(this.#diskPath(sliceId), diskBytes);
    return { diskBytes, dataRegions, changedBytes: null };
  }

  async status(sliceId: string): Promise<StatusResult> {
    const info = await stat(this.#diskPath(sliceId)).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    const captures = (
      await readdir(join(this.#sliceDir(sliceId), CAPTURES)).catch(() => [] as string[])
    )
      .filter((name) => name.endsWith('.raw'))
      .map((name) => name.slice(0, -'.raw'.length));
    if (!info) {
      return {
        sliceId,
        exists: false,
        power: null,
        diskBytes: null,
        allocatedBytes: null,
        captures,
      };
    }
    const power = await this.#power(sliceId);
    return {
      sliceId,
      exists: true,
      power,
      diskBytes: info.size,
      allocatedBytes: info.blocks * 512,
      captures,
    };
  }

  async createDisk(sliceId: string, sizeBytes: number): Promise<{ diskBytes: number }> {
    await mkdir(this.#sliceDir(sliceId), { recursive: true });
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.#diskPath(sliceId), 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new AgentFailure(AGENT_ERRORS.DiskExists, `slice ${sliceId} already has a disk`);
      }
      throw error;
    }
    try {
      await handle.truncate(sizeBytes);
    } finally {
      await handle.close();
    }
    await this.#writeState(sliceId, 'off');
    return { diskBytes: sizeBytes };
  }

  async deleteDisk(sliceId: string): Promise<void> {
    await this.#requireDisk(sliceId);
    await rm(this.#sliceDir(sliceId), { recursive: true, force: true });
  }

  async powerOn(sliceId: string): Promise<PowerResult> {
    await this.#requireDisk(sliceId);
    const { power } = await this.#readState(sliceId);
    if (power === 'on') return { sliceId, power: 'on', changed: false };
    await this.#writeState(sliceId, 'on');
    return { sliceId, power: 'on', changed: true };
  }

  async powerOff(sliceId: string, gracefulTimeoutMs: number): Promise<PowerResult> {
    await this.#requireDisk(sliceId);
    const { power } = await this.#readState(sliceId);
    if (power === 'off') return { sliceId, power: 'off', changed: false, forced: false };
    const hung = await exists(join(this.#sliceDir(sliceId), GUEST_IGNORES_SHUTDOWN));
    const forced = hung || this.#guestShutdownMs > gracefulTimeoutMs;
    await new Promise((resolve) =>
      setTimeout(resolve, forced ? gracefulTimeoutMs : this.#guestShutdownMs),
    );
    await this.#writeState(sliceId, 'off');
    return { sliceId, power: 'off', changed: true, forced };
  }

  async capture(
    sliceId: string,
    captureId: string,
    onProgress: (bytesDone: number, bytesTotal: number) => void,
  ): Promise<CaptureResult> {
    const source = this.#diskPath(sliceId);
    const diskBytes = await this.#requireDisk(sliceId);
    const power = await this.#power(sliceId);
    const target = this.#capturePath(sliceId, captureId);
    if (await exists(target)) {
      return {
        sliceId,
        captureId,
        diskBytes: (await stat(target)).size,
        method: 'sparse-copy',
        power,
      };
    }
    await mkdir(join(this.#sliceDir(sliceId), CAPTURES), { recursive: true });
    const total = (await stat(source)).blocks * 512;
    // The copy lands under a temporary name: a capture file that exists is always complete.
    const partial = `${target}${PARTIAL}`;
    try {
      const method = await cloneOrCopySparse(source, partial, (done) =>
        onProgress(Math.min(done, total), total),
      );
      await rename(partial, target);
      onProgress(total, total);
      return { sliceId, captureId, diskBytes, method, power };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async openCapture(sliceId: string, captureId: string): Promise<ReadableDisk> {
    const path = this.#capturePath(sliceId, captureId);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) {
        throw new AgentFailure(
          AGENT_ERRORS.CaptureNotFound,
          `slice ${sliceId} has no capture ${captureId}`,
        );
      }
      throw error;
    }
    const sizeBytes = (await handle.stat()).size;
    return {
      fd: handle.fd,
      sizeBytes,
      dataRegions: () => findDataRegions(path, sizeBytes),
      close: () => handle.close(),
    };
  }

  async discardCapture(sliceId: string, captureId: string): Promise<boolean> {
    const path = this.#capturePath(sliceId, captureId);
    const existed = await exists(path);
    await rm(path, { force: true });
    await rm(`${path}${PARTIAL}`, { force: true });
    return existed;
  }

  async prepareImageTarget(
    sliceId: string,
    sizeBytes: number,
    options: { rollbackId?: string } = {},
  ): Promise<WritableDisk> {
    const diskPath = this.#diskPath(sliceId);
    const hasDisk = (await this.diskSize(sliceId)) !== null;
    if (hasDisk) await this.#refuseIfPoweredOn(sliceId, 'writing an image');
    const rollbackPath =
      hasDisk && options.rollbackId ? this.#rollbackPath(sliceId, options.rollbackId) : null;
    const sliceDir = this.#sliceDir(sliceId);
    await mkdir(sliceDir, { recursive: true });
    const incoming = `${diskPath}${INCOMING}${randomUUID()}`;
    const handle = await open(incoming, 'wx');
    await handle.truncate(sizeBytes);
    let settled = false;
    return {
      fd: handle.fd,
      sizeBytes,
      commit: async () => {
        if (settled) return;
        settled = true;
        await handle.sync();
        await handle.close();
        if (!hasDisk) await this.#writeState(sliceId, 'off');
        if (rollbackPath && !(await exists(rollbackPath))) {
          // A second name for the disk being replaced, not a copy: instant, and at every moment
          // of a crash `disk.raw` names either the old disk or the new one.
          await mkdir(join(sliceDir, ROLLBACKS), { recursive: true });
          await link(diskPath, rollbackPath);
          await fsyncDirectory(join(sliceDir, ROLLBACKS));
        }
        await rename(incoming, diskPath);
        await fsyncDirectory(sliceDir);
      },
      abort: async () => {
        if (settled) return;
        settled = true;
        await handle.close().catch(() => undefined);
        await rm(incoming, { force: true });
        if (!hasDisk) {
          // A slice being created from a snapshot keeps no trace of a failed write.
          const left = await readdir(sliceDir).catch(() => [] as string[]);
          if (left.every((name) => name === STATE_FILE))
            await rm(sliceDir, { recursive: true, force: true });
        }
      },
    };
  }

  async rollBack(sliceId: string, rollbackId: string): Promise<boolean> {
    const rollbackPath = this.#rollbackPath(sliceId, rollbackId);
    if (!(await exists(rollbackPath))) return false;
    await this.#refuseIfPoweredOn(sliceId, 'rolling its disk back');
    await rename(rollbackPath, this.#diskPath(sliceId));
    // A crash between keeping the rollback and the swap leaves two names of one file, which
    // rename leaves as they are: the disk is the old one then, and the spare name goes.
    await rm(rollbackPath, { force: true });
    await fsyncDirectory(this.#sliceDir(sliceId));
    return true;
  }

  async discardRollback(sliceId: string, rollbackId: string): Promise<boolean> {
    const rollbackPath = this.#rollbackPath(sliceId, rollbackId);
    const existed = await exists(rollbackPath);
    await rm(rollbackPath, { force: true });
    return existed;
  }
}
