import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CallbackSender } from './commands/callback-sender.ts';
import { createCommandHandler } from './commands/command-handlers.ts';
import { CommandJournal } from './commands/command-journal.ts';
import { CommandRunner } from './commands/command-runner.ts';
import type { AgentConfig } from './config.ts';
import type { DiskDriver } from './disk/disk-driver.ts';
import { FileDiskDriver } from './disk/file-driver.ts';
import { QemuDiskDriver } from './disk/qemu-driver.ts';
import { ensureDemoGuest } from './guest/demo-guest.ts';
import { createAgentServer } from './http/server.ts';
import { ChunkWorkers } from './image/chunk-workers.ts';
import type { ImageStore } from './image/image-store.ts';
import { createImageS3Client, S3ImageStore } from './image/s3-image-store.ts';
import { createLogger, type Logger } from './log.ts';
import { NonceCache } from './protocol/signing.ts';
import { chooseAccel } from './qemu/accel-probe.ts';
import { findQemu } from './qemu/availability.ts';

export interface RunningAgent {
  readonly url: string;
  readonly port: number;
  readonly hostId: string;
  readonly hypervisor: HypervisorInfo;
  readonly runner: CommandRunner;
  close(): Promise<void>;
}

export interface AgentOverrides {
  readonly log?: Logger;
  readonly driver?: DiskDriver;
  readonly store?: ImageStore;
}

/** How long each guest gets to shut down when the host shuts down; then its power is cut. */
const VM_SHUTDOWN_MS = 10_000;

/** What `GET /v1/health` says of the hypervisor. */
export interface HypervisorInfo {
  readonly hypervisor: 'file' | 'qemu';
  readonly accel?: 'kvm' | 'tcg';
  /** How many VMs the host's memory for VMs runs at once: the host registry's `slots`. */
  readonly vmSlots?: number;
}

async function createDriver(
  config: AgentConfig,
  log: Logger,
): Promise<{ driver: DiskDriver; hypervisor: HypervisorInfo }> {
  if (config.hypervisor === 'file') {
    return {
      driver: new FileDiskDriver({
        dataDir: config.dataDir,
        guestShutdownMs: config.guestShutdownMs,
      }),
      hypervisor: { hypervisor: 'file' },
    };
  }
  const qemu = await findQemu();
  if (!qemu.ok) {
    throw new Error(`the qemu hypervisor needs ${qemu.missing.join(', ')}: ${qemu.install}`);
  }
  const choice = await chooseAccel({
    setting: config.qemu.accel,
    binary: qemu.qemu,
    kernel: qemu.kernel,
    cacheFile: join(config.qemu.guestCacheDir, 'accel.json'),
  });
  log.info('hypervisor chosen', { hypervisor: 'qemu', ...choice });
  const cacheDir = config.qemu.guestCacheDir;
  // Built (or found) now, so that the first power-on boots at once and a broken guest is named
  // at start.
  await ensureDemoGuest(cacheDir);
  return {
    driver: new QemuDiskDriver({
      dataDir: config.dataDir,
      accel: choice.accel,
      vmMemoryMb: config.qemu.vmMemoryMb,
      vmVcpus: config.qemu.vmVcpus,
      hostMemoryMb: config.qemu.hostMemoryMb,
      guest: () => ensureDemoGuest(cacheDir),
      log,
      qemuBinary: qemu.qemu,
      qemuImgBinary: qemu.qemuImg,
    }),
    hypervisor: {
      hypervisor: 'qemu',
      accel: choice.accel,
      vmSlots: Math.floor(config.qemu.hostMemoryMb / config.qemu.vmMemoryMb),
    },
  };
}

/**
 * Starts an agent: recovers the journal (reporting `AgentRestarted` for interrupted commands),
 * then listens. `npm start` runs one per region through `agent/main.ts`; tests call it in-process.
 */
export async function startAgent(
  config: AgentConfig,
  overrides: AgentOverrides = {},
): Promise<RunningAgent> {
  const log = overrides.log ?? createLogger({ hostId: config.hostId });
  const { driver, hypervisor } = overrides.driver
    ? { driver: overrides.driver, hypervisor: { hypervisor: 'file' } as HypervisorInfo }
    : await createDriver(config, log);
  const s3 = overrides.store
    ? undefined
    : createImageS3Client({ ...config.store, maxSockets: config.concurrency * 2 });
  const store = overrides.store ?? new S3ImageStore(s3!, config.store.bucket);
  const workers = new ChunkWorkers(config.workers);
  const runner = new CommandRunner({
    journal: new CommandJournal(config.dataDir),
    sender: new CallbackSender({ hostId: config.hostId, secret: config.secret, log }),
    handler: createCommandHandler({
      driver,
      store,
      workers,
      settings: {
        concurrency: config.concurrency,
        hashAlgorithm: config.hashAlgorithm,
        zstdLevel: config.zstdLevel,
        compression: config.compression,
      },
    }),
    heartbeatMs: config.heartbeatMs,
    log,
  });
  await driver.recover();
  await runner.recover();
  const server = createAgentServer({
    hostId: config.hostId,
    health: hypervisor,
    secret: config.secret,
    runner,
    nonces: new NonceCache(),
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.listenHost, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.listenHost.includes(':') ? `[${config.listenHost}]` : config.listenHost;
  const url = `http://${host}:${port}`;
  log.info('agent listening', { url, dataDir: config.dataDir, ...hypervisor });
  return {
    url,
    port,
    hostId: config.hostId,
    hypervisor,
    runner,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runner.close();
      await workers.close();
      if (driver instanceof QemuDiskDriver) {
        if (config.qemu.vmsOnExit === 'shutdown') await driver.shutdownAll(VM_SHUTDOWN_MS);
        // VMs outlive the agent: only the connections to them close.
        driver.close();
      }
      s3?.destroy();
    },
  };
}
