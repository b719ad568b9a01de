import { manifestKeyOf } from '../../blueprint/facts.ts';
import type { DiskDriver } from '../disk/disk-driver.ts';
import { AgentFailure } from '../errors.ts';
import { CHUNK_SIZE } from '../image/chunk-bytes.ts';
import { chunkLength, chunksTouched } from '../image/chunk-plan.ts';
import type { ChunkWorkers } from '../image/chunk-workers.ts';
import type { ImageStore } from '../image/image-store.ts';
import { readManifest, restoreImage } from '../image/restore-image.ts';
import { type CompressionMode, uploadImage } from '../image/upload-image.ts';
import type { AgentCommand, CommandResult } from '../protocol/commands.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import type { ChunkHashAlgorithm } from '../protocol/manifest.ts';
import type { CommandHandler, HandlerContext } from './command-runner.ts';
import { HostRates } from './host-rates.ts';

export interface PipelineSettings {
  /** Chunk requests in flight to the store. */
  readonly concurrency: number;
  readonly hashAlgorithm: ChunkHashAlgorithm;
  /** 0 stores chunks raw. */
  readonly zstdLevel: number;
  readonly compression: CompressionMode;
}

export interface HandlerDeps {
  readonly driver: DiskDriver;
  readonly store: ImageStore;
  readonly workers: ChunkWorkers;
  readonly settings: PipelineSettings;
  /** What the host measures of its uploads, captures and shutdowns, for quotes. */
  readonly rates?: HostRates;
}

/** Seconds since `startedMs` on the machine's clock (rates are the host's own, not the cloud's). */
function secondsSince(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}

const DEFAULT_GRACEFUL_TIMEOUT_SECONDS = 60;
/** How long cutting the power may take once the graceful timeout has passed. */
const FORCED_POWER_OFF_MS = 30_000;

async function withinOrPowerTimeout<T>(work: Promise<T>, ms: number, sliceId: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new AgentFailure(AGENT_ERRORS.PowerTimeout, `slice ${sliceId} did not power off`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The agent's commands, each a call on the disk driver or the image pipeline. */
export function createCommandHandler(deps: HandlerDeps): CommandHandler {
  const { driver, store, workers, settings } = deps;
  const rates = deps.rates ?? new HostRates();

  const quote = async (
    command: Extract<AgentCommand, { type: 'quote' }>,
  ): Promise<CommandResult> => {
    const scan = await driver.scan(command.sliceId, command.baseSnapshotIds ?? []);
    let usedBytes = 0;
    // Counted as the upload counts what a snapshot is billed on: whole chunks that hold data.
    for (const index of chunksTouched(scan.dataRegions, CHUNK_SIZE)) {
      usedBytes += chunkLength(index, CHUNK_SIZE, scan.diskBytes);
    }
    return {
      sliceId: command.sliceId,
      diskBytes: scan.diskBytes,
      usedBytes,
      changedBytes: scan.changedBytes,
      uploadBytesPerSecond: rates.uploadBytesPerSecond,
      captureBytesPerSecond: rates.captureBytesPerSecond,
      shutdownSeconds: rates.shutdownSeconds,
    };
  };

  const upload = async (
    command: Extract<AgentCommand, { type: 'upload' }>,
    context: HandlerContext,
  ): Promise<CommandResult> => {
    const disk = await driver.openCapture(command.sliceId, command.captureId);
    const startedMs = performance.now();
    let result: Awaited<ReturnType<typeof uploadImage>>;
    try {
      result = await uploadImage({
        disk,
        store,
        workers,
        accountId: command.accountId,
        snapshotId: command.snapshotId,
        baseSnapshotIds: command.baseSnapshotIds ?? [],
        concurrency: settings.concurrency,
        hashAlgorithm: settings.hashAlgorithm,
        zstdLevel: settings.zstdLevel,
        compression: settings.compression,
        onProgress: context.reportProgress,
        signal: context.signal,
      });
    } finally {
      await disk.close();
    }
    rates.upload(result.chunksRead * CHUNK_SIZE, secondsSince(startedMs));
    if (!command.keepCapture) await driver.discardCapture(command.sliceId, command.captureId);
    return result;
  };

  const writeImage = async (
    command: Extract<AgentCommand, { type: 'write-image' }>,
    context: HandlerContext,
  ): Promise<CommandResult> => {
    const manifest = await readManifest(store, command.accountId, command.snapshotId);
    const sizeBytes =
      command.sizeBytes ?? (await driver.diskSize(command.sliceId)) ?? manifest.diskBytes;
    if (sizeBytes < manifest.diskBytes) {
      throw new AgentFailure(
        AGENT_ERRORS.DiskTooSmall,
        `the image needs a disk of ${manifest.diskBytes} bytes, this one has ${sizeBytes}`,
      );
    }
    const target = await driver.prepareImageTarget(
      command.sliceId,
      sizeBytes,
      command.rollbackId ? { rollbackId: command.rollbackId } : {},
    );
    try {
      await restoreImage({
        manifest,
        target,
        store,
        workers,
        concurrency: settings.concurrency,
        onProgress: context.reportProgress,
        signal: context.signal,
      });
    } catch (error) {
      await target.abort();
      throw error;
    }
    await target.commit();
    return {
      sliceId: command.sliceId,
      manifestKey: manifestKeyOf(command.accountId, command.snapshotId),
      diskBytes: sizeBytes,
      imageDiskBytes: manifest.diskBytes,
      usedBytes: manifest.usedBytes,
      chunkCount: manifest.chunkCount,
    };
  };

  return async (command, context) => {
    switch (command.type) {
      case 'status':
        return driver.status(command.sliceId);
      case 'quote':
        return quote(command);
      case 'create-disk': {
        const { diskBytes } = await driver.createDisk(command.sliceId, command.sizeBytes);
        return { sliceId: command.sliceId, diskBytes, power: 'off' };
      }
      case 'delete-disk':
        await driver.deleteDisk(command.sliceId);
        return { sliceId: command.sliceId, deleted: true };
      case 'power-on':
        return driver.powerOn(command.sliceId);
      case 'power-off': {
        const gracefulMs =
          (command.gracefulTimeoutSeconds ?? DEFAULT_GRACEFUL_TIMEOUT_SECONDS) * 1000;
        const startedMs = performance.now();
        const result = await withinOrPowerTimeout(
          driver.powerOff(command.sliceId, gracefulMs),
          gracefulMs + FORCED_POWER_OFF_MS,
          command.sliceId,
        );
        if (result.changed && !result.forced) rates.shutdown(secondsSince(startedMs));
        // Every power-off result says how the guest went down: the workflow records it.
        const shutdown = !result.changed ? 'none' : result.forced ? 'forced' : 'graceful';
        return { ...result, shutdown: result.shutdown ?? shutdown };
      }
      case 'capture': {
        const startedMs = performance.now();
        const captured = await driver.capture(
          command.sliceId,
          command.captureId,
          (bytesDone, bytesTotal) => context.reportProgress({ bytesDone, bytesTotal }),
          {
            signal: context.signal,
            ...(command.baseSnapshotIds ? { baseSnapshotIds: command.baseSnapshotIds } : {}),
          },
        );
        // A capture building on a base copies only what changed: its pace is not a whole disk's.
        if (!captured.changedBlockTracking) {
          rates.capture(captured.diskBytes, secondsSince(startedMs));
        }
        return { frozen: false, changedBlockTracking: false, ...captured };
      }
      case 'discard-capture': {
        const discarded = await driver.discardCapture(command.sliceId, command.captureId);
        return { captureId: command.captureId, discarded };
      }
      case 'upload':
        return upload(command, context);
      case 'write-image':
        return writeImage(command, context);
      case 'roll-back-image': {
        const rolledBack = await driver.rollBack(command.sliceId, command.rollbackId);
        return { sliceId: command.sliceId, rollbackId: command.rollbackId, rolledBack };
      }
      case 'discard-rollback': {
        const discarded = await driver.discardRollback(command.sliceId, command.rollbackId);
        return { rollbackId: command.rollbackId, discarded };
      }
      case 'cancel':
        // The runner answers `cancel` itself: it acts on the commands it runs.
        throw new AgentFailure(AGENT_ERRORS.AgentError, 'cancel is run by the command runner');
    }
  };
}
