import { chunkKeyOf, manifestKeyOf } from '../../blueprint/facts.ts';
import type { WritableDisk } from '../disk/disk-driver.ts';
import { AgentFailure } from '../errors.ts';
import type { Progress } from '../protocol/commands.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import { type Manifest, ManifestError, parseManifest } from '../protocol/manifest.ts';
import { forEachBounded, Semaphore } from './bounded.ts';
import { chunkLength } from './chunk-plan.ts';
import type { ChunkWorkers } from './chunk-workers.ts';
import type { ImageStore } from './image-store.ts';

/** Reads and verifies a snapshot's manifest: `ImageNotFound` or `ImageCorrupt` otherwise. */
export async function readManifest(
  store: ImageStore,
  accountId: string,
  snapshotId: string,
): Promise<Manifest> {
  const key = manifestKeyOf(accountId, snapshotId);
  const text = await store.getManifest(key);
  if (text === null) throw new AgentFailure(AGENT_ERRORS.ImageNotFound, `no image at ${key}`);
  let manifest: Manifest;
  try {
    manifest = parseManifest(text);
  } catch (error) {
    const reason = error instanceof ManifestError ? error.message : String(error);
    throw new AgentFailure(AGENT_ERRORS.ImageCorrupt, `manifest ${key}: ${reason}`);
  }
  if (manifest.accountId !== accountId || manifest.snapshotId !== snapshotId) {
    throw new AgentFailure(AGENT_ERRORS.ImageCorrupt, `manifest ${key} names another snapshot`);
  }
  return manifest;
}

export interface RestoreImageInput {
  readonly manifest: Manifest;
  readonly target: WritableDisk;
  readonly store: ImageStore;
  readonly workers: ChunkWorkers;
  readonly concurrency: number;
  readonly onProgress?: (progress: Progress) => void;
  /** Stops the write between chunks (a `cancel`); the target is then aborted as on any failure. */
  readonly signal?: AbortSignal;
}

/**
 * Writes every chunk of an image onto a blank target, each verified against its hash first;
 * zero blocks inside chunks stay holes. Committing the target is the caller's move: any failure
 * here (a missing or corrupt chunk is `ImageCorrupt`) leaves only the target to abort.
 */
export async function restoreImage(input: RestoreImageInput): Promise<{ writtenBytes: number }> {
  const { manifest, target, store, workers } = input;
  if (manifest.diskBytes > target.sizeBytes) {
    throw new AgentFailure(
      AGENT_ERRORS.DiskTooSmall,
      `the image needs ${manifest.diskBytes} bytes, the disk has ${target.sizeBytes}`,
    );
  }
  const bytesTotal = manifest.usedBytes;
  let bytesDone = 0;
  let writtenBytes = 0;
  // As in upload: more lanes than store slots, so chunks are verified while others download.
  const storeSlots = new Semaphore(input.concurrency);
  const lanes = input.concurrency + 2 * workers.size;
  await forEachBounded(
    manifest.chunks,
    lanes,
    async ([index, hash]) => {
      const key = chunkKeyOf(manifest.accountId, hash);
      const stored = await storeSlots.use(() => store.getChunk(key));
      if (stored === null) {
        throw new AgentFailure(
          AGENT_ERRORS.ImageCorrupt,
          `chunk ${key} (index ${index}) is missing`,
        );
      }
      const length = chunkLength(index, manifest.chunkSize, manifest.diskBytes);
      const payload =
        stored.body.byteOffset === 0 && stored.body.byteLength === stored.body.buffer.byteLength
          ? (stored.body.buffer as ArrayBuffer)
          : new Uint8Array(stored.body).buffer;
      const { writtenBytes: written } = await workers.restore({
        fd: target.fd,
        offset: index * manifest.chunkSize,
        length,
        algorithm: manifest.hashAlgorithm,
        hash,
        encoding: stored.encoding,
        payload,
      });
      writtenBytes += written;
      bytesDone += length;
      input.onProgress?.({ bytesDone, bytesTotal });
    },
    input.signal,
  );
  return { writtenBytes };
}
