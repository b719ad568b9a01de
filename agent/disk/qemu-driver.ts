import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentFailure } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { CaptureResult, PowerResult, PowerState, StatusResult } from '../protocol/commands.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import { dirtyRegions } from '../qemu/dirty-regions.ts';
import { withFrozenFilesystems } from '../qemu/guest-agent.ts';
import {
  type Accel,
  DISK_NODE,
  GUEST_AGENT_CHARDEV,
  type GuestBoot,
  isVmAlive,
  launchVm,
  qemuArgs,
  readPid,
  type VmPaths,
  vmPathsOf,
  waitForVmExit,
} from '../qemu/qemu-vm.ts';
import { QmpClient, type QmpEvent } from '../qemu/qmp-client.ts';
import type { ByteRange } from './data-regions.ts';
import type { DiskDriver, DiskScan, ReadableDisk, WritableDisk } from './disk-driver.ts';
import { diskPathOf, FileDiskDriver } from './file-driver.ts';
import { punchUnwrittenExtents } from './punch-unwritten.ts';

export interface QemuDriverOptions {
  readonly dataDir: string;
  readonly accel: Accel;
  /** Memory and vCPUs of each VM: the host's defaults. */
  readonly vmMemoryMb: number;
  readonly vmVcpus: number;
  /** Memory the host gives VMs in all; `power-on` past it is refused. */
  readonly hostMemoryMb: number;
  /** What a VM boots, built or found on first use. */
  readonly guest: () => Promise<GuestBoot>;
  readonly log: Logger;
  readonly qemuBinary?: string;
  readonly qemuImgBinary?: string;
  /** How long a guest agent gets to answer before the capture goes on without freezing. */
  readonly guestAgentPingMs?: number;
  readonly freezeTimeoutMs?: number;
}

interface AttachedVm {
  readonly pid: number;
  readonly qmp: QmpClient;
  readonly memoryMb: number;
}

/** What the driver keeps about a capture beside its file. */
interface CaptureInfo {
  readonly result: CaptureResult;
  readonly changes: { readonly baseSnapshotId: string; readonly regions: ByteRange[] } | null;
}

/**
 * Changed-block tracking state kept on the host: `offlineCapture` names the capture the disk is
 * identical to while the slice is off, so that the next boot can track writes from that point.
 */
interface TrackingState {
  readonly offlineCapture: string | null;
}

const CAPTURES = 'captures';
const TRACKING_FILE = 'tracking.json';
/** Left by a host shutdown in the folder of each slice it powered off: started again on recovery. */
const RESUME_MARKER = 'resume-on-start';
const BITMAP_PREFIX = 'cbt-';
/** QEMU limits node names to 31 characters; capture IDs are longer. */
const captureNode = (captureId: string) =>
  `capture-${createHash('sha256').update(captureId).digest('hex').slice(0, 16)}`;
const FORCED_STOP_MS = 10_000;
const POWER_BUTTON_REPEAT_MS = 5_000;
const CAPTURE_JOB_TIMEOUT_MS = 4 * 3600_000;

/**
 * Slices as QEMU virtual machines, one detached `qemu-system-x86_64` per running slice, driven
 * over QMP. Disks, captures of powered-off slices, image writes and rollbacks are the file
 * driver's (the disk stays a sparse raw file); power is the VM process, and a running slice is
 * captured by QEMU's copy-before-write backup job with a dirty bitmap for the next capture.
 */
export class QemuDiskDriver implements DiskDriver {
  readonly #options: QemuDriverOptions;
  readonly #files: FileDiskDriver;
  readonly #vms = new Map<string, AttachedVm>();
  readonly #qemu: string;
  readonly #qemuImg: string;

  constructor(options: QemuDriverOptions) {
    this.#options = options;
    this.#qemu = options.qemuBinary ?? 'qemu-system-x86_64';
    this.#qemuImg = options.qemuImgBinary ?? 'qemu-img';
    this.#files = new FileDiskDriver({
      dataDir: options.dataDir,
      powerOf: (sliceId) => this.#powerOf(sliceId),
    });
  }

  #sliceDir(sliceId: string): string {
    return join(this.#options.dataDir, 'slices', sliceId);
  }

  #paths(sliceId: string): VmPaths {
    return vmPathsOf(this.#sliceDir(sliceId), 'disk.raw');
  }

  #capturePath(sliceId: string, captureId: string): string {
    return join(this.#sliceDir(sliceId), CAPTURES, `${captureId}.raw`);
  }

  #captureInfoPath(sliceId: string, captureId: string): string {
    return join(this.#sliceDir(sliceId), CAPTURES, `${captureId}.json`);
  }

  async #powerOf(sliceId: string): Promise<PowerState> {
    return (await this.#running(sliceId)) ? 'on' : 'off';
  }

  /** The attached VM of a slice, dropping one whose process has gone (the guest powered off). */
  async #running(sliceId: string): Promise<AttachedVm | null> {
    const vm = this.#vms.get(sliceId);
    if (!vm) return null;
    if (await isVmAlive(vm.pid, diskPathOf(this.#options.dataDir, sliceId))) return vm;
    await this.#forget(sliceId);
    return null;
  }

  async #forget(sliceId: string): Promise<void> {
    const vm = this.#vms.get(sliceId);
    this.#vms.delete(sliceId);
    vm?.qmp.close();
    const paths = this.#paths(sliceId);
    for (const path of [paths.pidfile, paths.spec, paths.qmp, paths.nbdSocket]) {
      await rm(path, { force: true });
    }
  }

  async #readTracking(sliceId: string): Promise<TrackingState> {
    try {
      return JSON.parse(await readFile(join(this.#sliceDir(sliceId), TRACKING_FILE), 'utf8'));
    } catch {
      return { offlineCapture: null };
    }
  }

  async #writeTracking(sliceId: string, state: TrackingState): Promise<void> {
    await mkdir(this.#sliceDir(sliceId), { recursive: true });
    await writeFile(join(this.#sliceDir(sliceId), TRACKING_FILE), JSON.stringify(state));
  }

  async #attach(sliceId: string, pid: number): Promise<AttachedVm> {
    const paths = this.#paths(sliceId);
    const qmp = await QmpClient.connect(paths.qmp);
    const spec = await readFile(paths.spec, 'utf8').then(
      (text) => JSON.parse(text) as { memoryMb?: number },
      () => ({}) as { memoryMb?: number },
    );
    const vm = { pid, qmp, memoryMb: spec.memoryMb ?? this.#options.vmMemoryMb };
    this.#vms.set(sliceId, vm);
    return vm;
  }

  /**
   * Reattaches to the VMs that kept running while the agent was away, and tidies what an
   * interrupted capture left inside them: its job, its target node, an NBD export.
   */
  async recover(): Promise<void> {
    await this.#files.recover();
    const slicesDir = join(this.#options.dataDir, 'slices');
    for (const sliceId of await readdir(slicesDir)) {
      const paths = this.#paths(sliceId);
      const pid = await readPid(paths.pidfile);
      if (pid === null || !(await isVmAlive(pid, paths.disk))) {
        await this.#forget(sliceId);
        continue;
      }
      try {
        const vm = await this.#attach(sliceId, pid);
        await this.#tidyInterruptedCapture(vm.qmp);
        const status = await vm.qmp.execute<{ status: string }>('query-status');
        // The agent was killed between starting the VM and letting it run: the power-on ends now.
        if (status.status === 'prelaunch' || status.status === 'paused') {
          await vm.qmp.execute('cont');
        }
        this.#options.log.info('reattached to a running VM', { sliceId, pid });
      } catch (error) {
        this.#options.log.error('could not reattach to a running VM', {
          sliceId,
          pid,
          error: (error as Error).message,
        });
      }
    }
    for (const sliceId of await readdir(slicesDir)) {
      const marker = join(this.#sliceDir(sliceId), RESUME_MARKER);
      if (
        !(await stat(marker).then(
          () => true,
          () => false,
        ))
      )
        continue;
      await rm(marker, { force: true });
      await this.powerOn(sliceId).catch((error: unknown) =>
        this.#options.log.error('could not resume a VM after the host shutdown', {
          sliceId,
          error: (error as Error).message,
        }),
      );
    }
  }

  /**
   * What a hypervisor host does when it shuts down (libvirt-guests' `shutdown`): every VM is
   * powered off, gracefully first, and marked to be started again when the agent next recovers,
   * so that a slice that was on is on again.
   */
  async shutdownAll(gracefulTimeoutMs: number): Promise<void> {
    await Promise.all(
      [...this.#vms.keys()].map(async (sliceId) => {
        const vm = await this.#running(sliceId);
        if (!vm) return;
        await writeFile(join(this.#sliceDir(sliceId), RESUME_MARKER), '');
        await this.#stop(sliceId, vm, gracefulTimeoutMs);
      }),
    );
  }

  async #tidyInterruptedCapture(qmp: QmpClient): Promise<void> {
    const jobs = await qmp.execute<{ id: string }[]>('query-jobs');
    const interrupted = jobs.filter(({ id }) => id.startsWith('capture-'));
    for (const job of interrupted) {
      await qmp.execute('job-cancel', { id: job.id }).catch(() => undefined);
      await qmp.execute('job-dismiss', { id: job.id }).catch(() => undefined);
    }
    await qmp.execute('nbd-server-stop').catch(() => undefined);
    const nodes = (
      await qmp.execute<{ 'node-name': string }[]>('query-named-block-nodes', { flat: true })
    ).filter((node) => node['node-name'].startsWith('capture-'));
    for (const node of nodes) {
      await qmp.execute('blockdev-del', { 'node-name': node['node-name'] }).catch(() => undefined);
    }
    // An interrupted capture may have disabled the bitmap it built on: tracking starts afresh.
    // Without one, the bitmaps go on counting across the agent's restart.
    if (interrupted.length > 0 || nodes.length > 0) await this.#dropBitmaps(qmp, () => true);
  }

  async status(sliceId: string): Promise<StatusResult> {
    return this.#files.status(sliceId);
  }

  /**
   * The disk file's data, and while the VM runs, what the dirty bitmap of a base's capture has
   * counted since: what an incremental snapshot would copy. A VM that is off has no live bitmap.
   */
  async scan(sliceId: string, baseSnapshotIds: readonly string[]): Promise<DiskScan> {
    const files = await this.#files.scan(sliceId);
    const vm = await this.#running(sliceId);
    if (!vm || baseSnapshotIds.length === 0) return files;
    const bitmaps = await this.#bitmaps(vm.qmp);
    const base = baseSnapshotIds
      .map((id) => bitmaps.find((b) => b.name === `${BITMAP_PREFIX}${id}` && b.recording))
      .find((bitmap) => bitmap !== undefined);
    return { ...files, changedBytes: base?.count ?? null };
  }

  async createDisk(sliceId: string, sizeBytes: number): Promise<{ diskBytes: number }> {
    return this.#files.createDisk(sliceId, sizeBytes);
  }

  async deleteDisk(sliceId: string): Promise<void> {
    if ((await this.#files.diskSize(sliceId)) === null) return this.#files.deleteDisk(sliceId);
    const vm = await this.#running(sliceId);
    if (vm) await this.#stop(sliceId, vm, 0);
    await this.#files.deleteDisk(sliceId);
  }

  async powerOn(sliceId: string): Promise<PowerResult> {
    if ((await this.#files.diskSize(sliceId)) === null) {
      throw new AgentFailure(AGENT_ERRORS.DiskNotFound, `slice ${sliceId} has no disk`);
    }
    if (await this.#running(sliceId)) return { sliceId, power: 'on', changed: false };
    const memoryMb = this.#options.vmMemoryMb;
    let inUse = 0;
    for (const id of [...this.#vms.keys()]) inUse += (await this.#running(id))?.memoryMb ?? 0;
    if (inUse + memoryMb > this.#options.hostMemoryMb) {
      throw new AgentFailure(
        AGENT_ERRORS.HostCapacityExceeded,
        `this host has ${this.#options.hostMemoryMb - inUse} MiB left for VMs; slice ${sliceId} needs ${memoryMb} MiB`,
      );
    }
    const paths = this.#paths(sliceId);
    await this.#forget(sliceId);
    const guest = await this.#options.guest();
    const spec = {
      accel: this.#options.accel,
      memoryMb,
      vcpus: this.#options.vmVcpus,
      guest,
    };
    await writeFile(paths.spec, JSON.stringify(spec));
    let pid: number;
    try {
      pid = await launchVm(this.#qemu, qemuArgs(`slice-${sliceId}`, paths, spec));
    } catch (error) {
      throw new AgentFailure(AGENT_ERRORS.HypervisorError, (error as Error).message, {
        cause: error,
      });
    }
    const vm = await this.#attach(sliceId, pid);
    const tracking = await this.#readTracking(sliceId);
    if (tracking.offlineCapture) {
      // The disk is still exactly that capture: writes from the first instruction on are tracked.
      await vm.qmp.execute('block-dirty-bitmap-add', {
        node: DISK_NODE,
        name: `${BITMAP_PREFIX}${tracking.offlineCapture}`,
      });
      await this.#writeTracking(sliceId, { offlineCapture: null });
    }
    await vm.qmp.execute('cont');
    this.#options.log.info('VM started', { sliceId, pid, accel: this.#options.accel });
    return { sliceId, power: 'on', changed: true };
  }

  async powerOff(sliceId: string, gracefulTimeoutMs: number): Promise<PowerResult> {
    if ((await this.#files.diskSize(sliceId)) === null) {
      throw new AgentFailure(AGENT_ERRORS.DiskNotFound, `slice ${sliceId} has no disk`);
    }
    const vm = await this.#running(sliceId);
    if (!vm) return { sliceId, power: 'off', changed: false, forced: false };
    const forced = await this.#stop(sliceId, vm, gracefulTimeoutMs);
    return {
      sliceId,
      power: 'off',
      changed: true,
      forced,
      shutdown: forced ? 'forced' : 'graceful',
    };
  }

  /** ACPI power button, then `quit` once the graceful time is up, then SIGKILL; true if forced. */
  async #stop(sliceId: string, vm: AttachedVm, gracefulTimeoutMs: number): Promise<boolean> {
    const disk = diskPathOf(this.#options.dataDir, sliceId);
    let graceful = false;
    const deadline = Date.now() + gracefulTimeoutMs;
    while (!graceful && Date.now() < deadline) {
      // The button is pressed again while the guest runs on, because a press before its ACPI
      // daemon listens is lost (a guest shuts down within a second of a press it hears).
      await vm.qmp.execute('system_powerdown').catch(() => undefined);
      const wait = Math.min(POWER_BUTTON_REPEAT_MS, deadline - Date.now());
      graceful = await waitForVmExit(vm.pid, disk, wait, vm.qmp.closed);
    }
    if (!graceful) {
      await vm.qmp.execute('quit').catch(() => undefined);
      if (!(await waitForVmExit(vm.pid, disk, FORCED_STOP_MS, vm.qmp.closed))) {
        process.kill(vm.pid, 'SIGKILL');
        await waitForVmExit(vm.pid, disk, FORCED_STOP_MS);
      }
    }
    await this.#forget(sliceId);
    this.#options.log.info('VM stopped', { sliceId, shutdown: graceful ? 'graceful' : 'forced' });
    return !graceful;
  }

  async capture(
    sliceId: string,
    captureId: string,
    onProgress: (bytesDone: number, bytesTotal: number) => void,
    options: { readonly baseSnapshotIds?: readonly string[]; readonly signal?: AbortSignal } = {},
  ): Promise<CaptureResult> {
    const existing = await this.#readCaptureInfo(sliceId, captureId);
    const vm = await this.#running(sliceId);
    if (existing && (await this.#files.diskSize(sliceId)) !== null) {
      const file = await stat(this.#capturePath(sliceId, captureId)).then(
        () => true,
        () => false,
      );
      if (file) return existing.result;
    }
    if (!vm) {
      const result = await this.#files.capture(sliceId, captureId, onProgress);
      await this.#writeCaptureInfo(sliceId, captureId, { result, changes: null });
      await this.#writeTracking(sliceId, { offlineCapture: captureId });
      return result;
    }
    return this.#captureRunning(sliceId, captureId, vm, onProgress, options);
  }

  /**
   * A running VM's point-in-time copy. One QMP transaction fixes the capture point: it starts a
   * new dirty bitmap for the next capture and a copy-before-write backup job, which copies the
   * whole disk, or with a bitmap since a base snapshot's capture only what the guest wrote since.
   */
  async #captureRunning(
    sliceId: string,
    captureId: string,
    vm: AttachedVm,
    onProgress: (bytesDone: number, bytesTotal: number) => void,
    options: { readonly baseSnapshotIds?: readonly string[]; readonly signal?: AbortSignal },
  ): Promise<CaptureResult> {
    const baseSnapshotIds = options.baseSnapshotIds ?? [];
    const diskBytes = (await this.#files.diskSize(sliceId)) ?? 0;
    const { qmp } = vm;
    const paths = this.#paths(sliceId);
    const target = this.#capturePath(sliceId, captureId);
    const partial = `${target}.partial`;
    const node = captureNode(captureId);
    const nextBitmap = `${BITMAP_PREFIX}${captureId}`;
    await mkdir(join(this.#sliceDir(sliceId), CAPTURES), { recursive: true });
    const handle = await open(partial, 'w');
    await handle.truncate(diskBytes);
    await handle.close();

    const bitmaps = await this.#bitmaps(qmp);
    const base = baseSnapshotIds
      .map((id) => bitmaps.find((b) => b.name === `${BITMAP_PREFIX}${id}` && b.recording))
      .find((b) => b !== undefined);
    const actions: Record<string, unknown>[] = [
      { type: 'block-dirty-bitmap-add', data: { node: DISK_NODE, name: nextBitmap } },
    ];
    if (base) {
      // Frozen at the capture point, it then holds exactly the writes between the two captures.
      actions.push({
        type: 'block-dirty-bitmap-disable',
        data: { node: DISK_NODE, name: base.name },
      });
    }
    actions.push({
      type: 'blockdev-backup',
      data: {
        device: DISK_NODE,
        target: node,
        'job-id': node,
        'auto-dismiss': true,
        ...(base
          ? { sync: 'bitmap', bitmap: base.name, 'bitmap-mode': 'never' }
          : { sync: 'full' }),
      },
    });

    let started = false;
    const startedAt = performance.now();
    let copiedAt = startedAt;
    const progress = setInterval(() => {
      qmp
        .execute<{ id: string; 'current-progress': number; 'total-progress': number }[]>(
          'query-jobs',
        )
        .then(
          (jobs) => {
            const job = jobs.find(({ id }) => id === node);
            if (job) onProgress(job['current-progress'], job['total-progress']);
          },
          () => undefined,
        );
    }, 500);
    try {
      if (options.signal?.aborted) throw new Error('the capture was cancelled');
      await qmp.execute('blockdev-add', {
        driver: 'raw',
        'node-name': node,
        file: { driver: 'file', filename: partial },
      });
      const ended = qmp.nextEvent(
        (event: QmpEvent) =>
          (event.event === 'BLOCK_JOB_COMPLETED' || event.event === 'BLOCK_JOB_CANCELLED') &&
          event.data?.device === node,
        CAPTURE_JOB_TIMEOUT_MS,
      );
      ended.catch(() => undefined);
      const fixCapturePoint = async () => {
        await qmp.execute('transaction', { actions });
        started = true;
      };
      // The guest agent's port is open only while an agent runs in the guest: without one, the
      // capture does not wait for a ping that nobody answers.
      const { frozen } = (await this.#guestAgentListens(qmp))
        ? await withFrozenFilesystems(
            paths.guestAgentSocket,
            {
              pingTimeoutMs: this.#options.guestAgentPingMs ?? 1000,
              freezeTimeoutMs: this.#options.freezeTimeoutMs ?? 10_000,
            },
            fixCapturePoint,
          )
        : await fixCapturePoint().then(() => ({ frozen: false }));
      // A cancel of the command stops the job; its end event then fails the capture below.
      const cancel = () => void qmp.execute('job-cancel', { id: node, force: true }).catch(() => 0);
      options.signal?.addEventListener('abort', cancel, { once: true });
      if (options.signal?.aborted) cancel();
      const end = await ended.finally(() => options.signal?.removeEventListener('abort', cancel));
      // A job that finished before the cancel reached it is still not what was asked for.
      if (options.signal?.aborted) throw new Error('the capture was cancelled');
      if (end.event === 'BLOCK_JOB_CANCELLED' || typeof end.data?.error === 'string') {
        throw new Error(
          `the capture job ended without a copy: ${String(end.data?.error ?? 'cancelled')}`,
        );
      }
      copiedAt = performance.now();
      const changes = base
        ? {
            baseSnapshotId: base.name.slice(BITMAP_PREFIX.length),
            regions: await dirtyRegions(qmp, {
              bitmap: base.name,
              nbdSocket: paths.nbdSocket,
              qemuImg: this.#qemuImg,
            }),
          }
        : null;
      await this.#dropBitmaps(qmp, (name) => name !== nextBitmap);
      await qmp.execute('blockdev-del', { 'node-name': node });
      await punchUnwrittenExtents(partial);
      const result: CaptureResult = {
        sliceId,
        captureId,
        diskBytes,
        method: 'backup-job',
        power: 'on',
        frozen,
        changedBlockTracking: changes !== null,
      };
      await this.#writeCaptureInfo(sliceId, captureId, { result, changes });
      await rename(partial, target);
      onProgress(diskBytes, diskBytes);
      this.#options.log.info('captured a running VM', {
        sliceId,
        captureId,
        frozen,
        changedBlockTracking: changes !== null,
        changedBytes: changes?.regions.reduce((sum, r) => sum + r.end - r.start, 0),
        copyMs: Math.round(copiedAt - startedAt),
        totalMs: Math.round(performance.now() - startedAt),
      });
      return result;
    } catch (error) {
      if (started)
        await qmp.execute('job-cancel', { id: node, force: true }).catch(() => undefined);
      await qmp.execute('blockdev-del', { 'node-name': node }).catch(() => undefined);
      // Whatever a failed capture touched is no base for the next one: it reads the whole disk.
      await this.#dropBitmaps(qmp, () => true).catch(() => undefined);
      await rm(partial, { force: true });
      await rm(this.#captureInfoPath(sliceId, captureId), { force: true });
      if (error instanceof AgentFailure) throw error;
      throw new AgentFailure(
        AGENT_ERRORS.HypervisorError,
        `capturing slice ${sliceId}: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      clearInterval(progress);
    }
  }

  async #guestAgentListens(qmp: QmpClient): Promise<boolean> {
    const chardevs =
      await qmp.execute<{ label: string; 'frontend-open'?: boolean }[]>('query-chardev');
    return chardevs.some((dev) => dev.label === GUEST_AGENT_CHARDEV && dev['frontend-open']);
  }

  async #bitmaps(qmp: QmpClient): Promise<{ name: string; recording: boolean; count?: number }[]> {
    const devices =
      await qmp.execute<
        {
          inserted?: {
            'node-name'?: string;
            'dirty-bitmaps'?: { name: string; recording: boolean; count?: number }[];
          };
        }[]
      >('query-block');
    const disk = devices.find((device) => device.inserted?.['node-name'] === DISK_NODE);
    return disk?.inserted?.['dirty-bitmaps'] ?? [];
  }

  async #dropBitmaps(qmp: QmpClient, drop: (name: string) => boolean): Promise<void> {
    for (const bitmap of await this.#bitmaps(qmp)) {
      if (!bitmap.name.startsWith(BITMAP_PREFIX) || !drop(bitmap.name)) continue;
      await qmp.execute('block-dirty-bitmap-remove', { node: DISK_NODE, name: bitmap.name });
    }
  }

  async #readCaptureInfo(sliceId: string, captureId: string): Promise<CaptureInfo | null> {
    try {
      return JSON.parse(await readFile(this.#captureInfoPath(sliceId, captureId), 'utf8'));
    } catch {
      return null;
    }
  }

  async #writeCaptureInfo(sliceId: string, captureId: string, info: CaptureInfo): Promise<void> {
    const path = this.#captureInfoPath(sliceId, captureId);
    await writeFile(`${path}.partial`, JSON.stringify(info));
    await rename(`${path}.partial`, path);
  }

  async openCapture(sliceId: string, captureId: string): Promise<ReadableDisk> {
    const disk = await this.#files.openCapture(sliceId, captureId);
    const info = await this.#readCaptureInfo(sliceId, captureId);
    if (!info?.changes) return disk;
    const changes = info.changes;
    return {
      fd: disk.fd,
      sizeBytes: disk.sizeBytes,
      changes,
      dataRegions: async () => changes.regions,
      close: () => disk.close(),
    };
  }

  async discardCapture(sliceId: string, captureId: string): Promise<boolean> {
    await rm(this.#captureInfoPath(sliceId, captureId), { force: true });
    return this.#files.discardCapture(sliceId, captureId);
  }

  async prepareImageTarget(
    sliceId: string,
    sizeBytes: number,
    options: { rollbackId?: string } = {},
  ): Promise<WritableDisk> {
    const target = await this.#files.prepareImageTarget(sliceId, sizeBytes, options);
    return {
      fd: target.fd,
      sizeBytes: target.sizeBytes,
      commit: async () => {
        // A new disk is no longer the capture that tracking would start from.
        await this.#writeTracking(sliceId, { offlineCapture: null });
        await target.commit();
      },
      abort: () => target.abort(),
    };
  }

  async rollBack(sliceId: string, rollbackId: string): Promise<boolean> {
    const rolledBack = await this.#files.rollBack(sliceId, rollbackId);
    if (rolledBack) await this.#writeTracking(sliceId, { offlineCapture: null });
    return rolledBack;
  }

  async discardRollback(sliceId: string, rollbackId: string): Promise<boolean> {
    return this.#files.discardRollback(sliceId, rollbackId);
  }

  async diskSize(sliceId: string): Promise<number | null> {
    return this.#files.diskSize(sliceId);
  }

  /** Detaches from the VMs without stopping them: they outlive the agent. */
  close(): void {
    for (const vm of this.#vms.values()) vm.qmp.close();
    this.#vms.clear();
  }
}
