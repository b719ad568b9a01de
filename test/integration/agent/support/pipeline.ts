import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandHandler } from '../../../../agent/commands/command-handlers.ts';
import type { CommandHandler } from '../../../../agent/commands/command-runner.ts';
import type { DiskDriver } from '../../../../agent/disk/disk-driver.ts';
import { FileDiskDriver } from '../../../../agent/disk/file-driver.ts';
import { ChunkWorkers } from '../../../../agent/image/chunk-workers.ts';
import { createImageS3Client, S3ImageStore } from '../../../../agent/image/s3-image-store.ts';
import type {
  AgentCommand,
  CaptureResult,
  CommandBody,
  UploadResult,
  WriteImageResult,
} from '../../../../agent/protocol/commands.ts';
import { localS3Config } from '../../../../local/s3.ts';

/** The agent's command handlers on a file driver and a real store, without HTTP in between. */
export interface Pipeline<D extends DiskDriver = FileDiskDriver> {
  readonly dataDir: string;
  readonly driver: D;
  readonly store: S3ImageStore;
  readonly handler: CommandHandler;
  /** Captures the slice's disk and uploads it as `snapshotId` of `accountId`. */
  snapshot(
    sliceId: string,
    accountId: string,
    snapshotId: string,
    baseSnapshotIds?: string[],
  ): Promise<UploadResult & { capture: CaptureResult }>;
  /** Writes the image onto the slice (creating its disk if it has none). */
  restore(sliceId: string, accountId: string, snapshotId: string): Promise<WriteImageResult>;
  close(): Promise<void>;
}

export function storeConfig(endpoint: string, bucket: string, timeoutMs = 30_000) {
  const local = localS3Config(endpoint);
  return {
    bucket,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: local.credentials as { accessKeyId: string; secretAccessKey: string },
    requestTimeoutMs: timeoutMs,
    maxAttempts: 2,
  };
}

export function createPipeline(endpoint: string, bucket: string): Pipeline;
export function createPipeline<D extends DiskDriver>(
  endpoint: string,
  bucket: string,
  driverOf: (dataDir: string) => D,
): Pipeline<D>;
/** The pipeline on a file driver, or on the driver `driverOf` makes for its data directory. */
export function createPipeline(
  endpoint: string,
  bucket: string,
  driverOf: (dataDir: string) => DiskDriver = (dataDir) => new FileDiskDriver({ dataDir }),
): Pipeline<DiskDriver> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-pipeline-'));
  const driver = driverOf(dataDir);
  const client = createImageS3Client(storeConfig(endpoint, bucket));
  const store = new S3ImageStore(client, bucket);
  const workers = new ChunkWorkers(2);
  const handler = createCommandHandler({
    driver,
    store,
    workers,
    // Always, so that zstd chunks go through every round trip (adaptive may store them raw).
    settings: { concurrency: 8, hashAlgorithm: 'blake3', zstdLevel: 1, compression: 'always' },
  });
  const context = {
    reportProgress: () => undefined,
    recordKey: async () => undefined,
    signal: new AbortController().signal,
  };
  const execute = (command: CommandBody) =>
    handler({ ...command, commandId: randomUUID() } as AgentCommand, context);
  return {
    dataDir,
    driver,
    store,
    handler,
    snapshot: async (sliceId, accountId, snapshotId, baseSnapshotIds) => {
      const capture = (await execute({
        type: 'capture',
        sliceId,
        captureId: snapshotId,
        ...(baseSnapshotIds ? { baseSnapshotIds } : {}),
      })) as CaptureResult;
      const upload = (await execute({
        type: 'upload',
        sliceId,
        captureId: snapshotId,
        accountId,
        snapshotId,
        ...(baseSnapshotIds ? { baseSnapshotIds } : {}),
      })) as UploadResult;
      return { ...upload, capture };
    },
    restore: async (sliceId, accountId, snapshotId) =>
      (await execute({ type: 'write-image', sliceId, accountId, snapshotId })) as WriteImageResult,
    close: async () => {
      await workers.close();
      client.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
