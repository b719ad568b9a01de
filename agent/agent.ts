import type { AddressInfo } from 'node:net';
import { CallbackSender } from './commands/callback-sender.ts';
import { createCommandHandler } from './commands/command-handlers.ts';
import { CommandJournal } from './commands/command-journal.ts';
import { CommandRunner } from './commands/command-runner.ts';
import type { AgentConfig } from './config.ts';
import type { DiskDriver } from './disk/disk-driver.ts';
import { FileDiskDriver } from './disk/file-driver.ts';
import { createAgentServer } from './http/server.ts';
import { ChunkWorkers } from './image/chunk-workers.ts';
import type { ImageStore } from './image/image-store.ts';
import { createImageS3Client, S3ImageStore } from './image/s3-image-store.ts';
import { createLogger, type Logger } from './log.ts';
import { NonceCache } from './protocol/signing.ts';

export interface RunningAgent {
  readonly url: string;
  readonly port: number;
  readonly hostId: string;
  readonly runner: CommandRunner;
  close(): Promise<void>;
}

export interface AgentOverrides {
  readonly log?: Logger;
  readonly driver?: DiskDriver;
  readonly store?: ImageStore;
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
  const driver =
    overrides.driver ??
    new FileDiskDriver({ dataDir: config.dataDir, guestShutdownMs: config.guestShutdownMs });
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
  log.info('agent listening', { url, dataDir: config.dataDir });
  return {
    url,
    port,
    hostId: config.hostId,
    runner,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runner.close();
      await workers.close();
      s3?.destroy();
    },
  };
}
