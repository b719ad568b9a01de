import { chunkKeyOf, manifestKeyOf } from '../../blueprint/facts.ts';
import type { ReadableDisk } from '../disk/disk-driver.ts';
import { AgentFailure } from '../errors.ts';
import type { Progress, UploadResult } from '../protocol/commands.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import {
  type ChunkHashAlgorithm,
  MANIFEST_FORMAT,
  type Manifest,
  type ManifestChunk,
  parseManifest,
  serializeManifest,
} from '../protocol/manifest.ts';
import { forEachBounded, Semaphore } from './bounded.ts';
import { CHUNK_SIZE } from './chunk-bytes.ts';
import { ChunkFence, type FenceTiming } from './chunk-fence.ts';
import { chunkLength, chunksTouched } from './chunk-plan.ts';
import type { ChunkHandle, ChunkWorkers } from './chunk-workers.ts';
import type { ImageStore } from './image-store.ts';
import { StoredChunks } from './stored-chunks.ts';

export type CompressionMode = 'adaptive' | 'always';

export interface UploadImageInput {
  readonly disk: ReadableDisk;
  readonly store: ImageStore;
  readonly workers: ChunkWorkers;
  readonly accountId: string;
  readonly snapshotId: string;
  readonly baseSnapshotIds?: readonly string[];
  /** Chunk requests in flight. */
  readonly concurrency: number;
  readonly hashAlgorithm: ChunkHashAlgorithm;
  /** zstd level; 0 stores every chunk raw. */
  readonly zstdLevel: number;
  /**
   * `adaptive` compresses a chunk only while other chunks wait for a store slot, i.e. while the
   * link to the store, not the agent, is the bottleneck; `always` compresses every chunk that shrinks.
   */
  readonly compression: CompressionMode;
  /** Told how far the upload has come, as chunks are read and stored. */
  readonly onProgress?: (progress: Progress) => void;
  /** Stops the upload between chunks (a `cancel`); it fails as on any other error. */
  readonly signal?: AbortSignal;
  /** Result lists of hashes stop at this size (the manifest keeps them all). */
  readonly maxListedHashes?: number;
  /** The clock the chunk collection's fence waits by; tests give their own. */
  readonly fenceTiming?: FenceTiming;
}

interface Bases {
  /** Stored sizes of chunks the base snapshots reference: taken as present without asking. */
  readonly known: Map<string, number>;
  readonly manifests: Map<string, Manifest>;
}

async function loadBases(input: UploadImageInput): Promise<Bases> {
  const known = new Map<string, number>();
  const manifests = new Map<string, Manifest>();
  for (const baseId of input.baseSnapshotIds ?? []) {
    const text = await input.store.getManifest(manifestKeyOf(input.accountId, baseId));
    if (text === null) continue;
    try {
      const manifest = parseManifest(text);
      if (manifest.hashAlgorithm !== input.hashAlgorithm) continue;
      manifests.set(baseId, manifest);
      for (const [, hash, stored] of manifest.chunks) known.set(hash, stored);
    } catch {
      // A damaged base only costs dedupe: its chunks get checked one by one instead.
    }
  }
  return { known, manifests };
}

/**
 * With a capture of only what changed since a base snapshot, the chunks nothing wrote are that
 * snapshot's, unread. The base must be one of this upload's bases: those are kept from deletion.
 */
function unchangedChunks(
  disk: ReadableDisk,
  manifests: Map<string, Manifest>,
  fence: ChunkFence,
): ManifestChunk[] {
  const changes = disk.changes;
  if (!changes) return [];
  const base = manifests.get(changes.baseSnapshotId);
  if (!base || base.diskBytes !== disk.sizeBytes || base.chunkSize !== CHUNK_SIZE) {
    throw new AgentFailure(
      AGENT_ERRORS.ImageNotFound,
      `the capture holds only the changes since snapshot ${changes.baseSnapshotId}, whose image is not among this upload's bases`,
    );
  }
  const changed = new Set(chunksTouched(changes.regions, CHUNK_SIZE));
  const unchanged = base.chunks.filter(([index]) => !changed.has(index));
  // A live base's chunks are never condemned; one that is means the base is on its way out, and
  // the capture does not hold those bytes to write them again.
  const condemned = unchanged.find(([, hash]) => fence.avoids(hash));
  if (condemned) {
    throw new AgentFailure(
      AGENT_ERRORS.ImageNotFound,
      `chunk ${condemned[1]} of snapshot ${changes.baseSnapshotId}, which the capture builds on, is condemned by the chunk collection`,
    );
  }
  return unchanged;
}

/**
 * Uploads a captured disk as an image: the chunks its data regions touch are read, all-zero ones
 * dropped, the rest hashed; a chunk whose hash is already stored (in a base snapshot, earlier in
 * this upload, or found by listing or HEAD) is not sent again; new ones are compressed when it pays and PUT.
 * The manifest is written last. Chunks written by an upload that fails are named by no manifest:
 * the chunk collection reclaims them.
 */
export async function uploadImage(input: UploadImageInput): Promise<UploadResult> {
  const { disk, store, workers, accountId, hashAlgorithm } = input;
  const { known, manifests } = await loadBases(input);
  const fence = await ChunkFence.read(store, accountId, input.fenceTiming);
  for (const hash of known.keys()) if (fence.avoids(hash)) known.delete(hash);
  const unchanged = unchangedChunks(disk, manifests, fence);
  const regions = await disk.dataRegions();
  let bytesTotal = 0;
  let candidates = 0;
  for (const index of chunksTouched(regions, CHUNK_SIZE)) {
    bytesTotal += chunkLength(index, CHUNK_SIZE, disk.sizeBytes);
    candidates += 1;
  }
  const stored = new StoredChunks(store, accountId);
  // Nothing to ask when the base snapshots name every chunk (e.g. an unchanged disk): LIST lazily.
  let primed: Promise<void> | undefined;
  const sizeInStore = async (hash: string) => {
    if (fence.avoids(hash)) return null;
    primed ??= stored.prime(candidates);
    return primed.then(() => stored.sizeOf(hash));
  };
  /** The first chunk index of each hash this upload wrote, to read it again if a sweep took it. */
  const written = new Map<string, number>();
  const pendingHashes = new Map<string, Promise<void>>();
  const entries: ManifestChunk[] = [...unchanged];
  let uploadedChunks = 0;
  let usedBytes = unchanged.reduce(
    (sum, [index]) => sum + chunkLength(index, CHUNK_SIZE, disk.sizeBytes),
    0,
  );
  let bytesDone = 0;

  // More lanes than store slots: while `concurrency` chunks are on the wire, the next ones are
  // read, hashed and compressed, so neither the store nor the workers wait for the other.
  const storeSlots = new Semaphore(input.concurrency);
  const lanes = input.concurrency + 2 * workers.size;
  /** `again`: a chunk this upload wrote before, already recorded and listed. */
  const putChunk = async (
    hash: string,
    handle: ChunkHandle,
    time: 'first' | 'again',
  ): Promise<void> => {
    const key = chunkKeyOf(accountId, hash);
    const storeIsBottleneck = input.compression === 'always' || storeSlots.waiting > 0;
    const encoded = await workers.encode(handle, storeIsBottleneck ? input.zstdLevel : 0);
    if (time === 'first') uploadedChunks += 1;
    await storeSlots.use(() => store.putChunk(key, new Uint8Array(encoded.payload), encoded));
    known.set(hash, encoded.payload.byteLength);
  };
  const storeChunk = async (hash: string, index: number, handle: ChunkHandle): Promise<void> => {
    let existing: number | null;
    try {
      existing = await sizeInStore(hash);
    } catch (error) {
      await workers.release(handle);
      throw error;
    }
    if (existing !== null) {
      known.set(hash, existing);
      await workers.release(handle);
      return;
    }
    written.set(hash, index);
    await putChunk(hash, handle, 'first');
  };
  /** Reads a chunk this upload wrote from the capture again and writes it again. */
  const rewriteChunk = async (hash: string): Promise<void> => {
    const index = written.get(hash);
    if (index === undefined) throw new Error(`chunk ${hash} was not written by this upload`);
    const length = chunkLength(index, CHUNK_SIZE, disk.sizeBytes);
    const read = await workers.read(disk.fd, index * CHUNK_SIZE, length, hashAlgorithm);
    if (read.zero || read.hash !== hash) {
      if (!read.zero) await workers.release(read.handle);
      throw new AgentFailure(
        AGENT_ERRORS.AgentError,
        `chunk ${index} of the capture changed while it was uploaded (it was ${hash})`,
      );
    }
    await putChunk(hash, read.handle, 'again');
  };

  try {
    await forEachBounded(
      chunksTouched(regions, CHUNK_SIZE),
      lanes,
      async (index) => {
        const length = chunkLength(index, CHUNK_SIZE, disk.sizeBytes);
        const read = await workers.read(disk.fd, index * CHUNK_SIZE, length, hashAlgorithm);
        if (!read.zero) {
          usedBytes += length;
          entries.push([index, read.hash, 0]);
          // Identical chunks in one disk are stored once, even when read at the same time.
          const pending = known.has(read.hash) ? undefined : pendingHashes.get(read.hash);
          if (known.has(read.hash) || pending) {
            await workers.release(read.handle);
            await pending;
          } else {
            const hash = read.hash;
            const stored = storeChunk(hash, index, read.handle).finally(() =>
              pendingHashes.delete(hash),
            );
            pendingHashes.set(hash, stored);
            await stored;
          }
        }
        bytesDone += length;
        input.onProgress?.({ bytesDone, bytesTotal });
      },
      input.signal,
    );
    // Before the manifest names them: no sweep that could delete a chunk written here still runs.
    await fence.settle(written.keys(), rewriteChunk, input.signal);
  } catch (error) {
    if (error instanceof AgentFailure) throw error;
    throw new AgentFailure(AGENT_ERRORS.AgentError, (error as Error).message, { cause: error });
  }

  entries.sort((a, b) => a[0] - b[0]);
  const chunks: ManifestChunk[] = entries.map(([index, hash]) => [
    index,
    hash,
    known.get(hash) ?? 0,
  ]);
  const distinct = new Map(chunks.map(([, hash, stored]) => [hash, stored]));
  const storedBytes = [...distinct.values()].reduce((sum, size) => sum + size, 0);
  const manifestKey = manifestKeyOf(accountId, input.snapshotId);
  await store.putManifest(
    manifestKey,
    serializeManifest({
      format: MANIFEST_FORMAT,
      accountId,
      snapshotId: input.snapshotId,
      createdAt: new Date().toISOString(),
      diskBytes: disk.sizeBytes,
      chunkSize: CHUNK_SIZE,
      hashAlgorithm,
      usedBytes,
      storedBytes,
      chunkCount: chunks.length,
      chunks,
    }),
  );
  const maxListed = input.maxListedHashes ?? 1000;
  return {
    manifestKey,
    diskBytes: disk.sizeBytes,
    usedBytes,
    storedBytes,
    chunkCount: chunks.length,
    uploadedChunks,
    reusedChunks: chunks.length - uploadedChunks,
    ...(distinct.size <= maxListed ? { chunkHashes: [...distinct.keys()] } : {}),
    chunksRead: candidates,
    changedBlockTracking: disk.changes !== undefined,
  };
}
