import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandHandler } from '../../../../agent/commands/command-handlers.ts';
import type { CommandHandler } from '../../../../agent/commands/command-runner.ts';
import { FileDiskDriver } from '../../../../agent/disk/file-driver.ts';
import { ChunkWorkers } from '../../../../agent/image/chunk-workers.ts';
import { createImageS3Client, S3ImageStore } from '../../../../agent/image/s3-image-store.ts';
import type {
  AgentCommand,
  CommandBody,
  UploadResult,
  WriteImageResult,
} from '../../../../agent/protocol/commands.ts';
import { localS3Config } from '../../../../local/s3.ts';

/** The agent's command handlers on a file driver and a real store, without HTTP in between. */
export interface Pipeline {
  readonly dataDir: string;
  readonly driver: FileDiskDriver;
  readonly store: S3ImageStore;
  readonly handler: CommandHandler;
  /** Captures the slice's disk and uploads it as `snapshotId` of `accountId`. */
  snapshot(
    sliceId: string,
    accountId: string,
    snapshotId: string,
    baseSnapshotIds?: string[],
  ): Promise<UploadResult>;
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

export function createPipeline(endpoint: string, bucket: string): Pipeline {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-pipeline-'));
  const driver = new FileDiskDriver({ dataDir });
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
      await execute({ type: 'capture', sliceId, captureId: snapshotId });
      return (await execute({
        type: 'upload',
        sliceId,
        captureId: snapshotId,
        accountId,
        snapshotId,
        ...(baseSnapshotIds ? { baseSnapshotIds } : {}),
      })) as UploadResult;
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
