import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import { ChunkFence, type FenceTiming } from '../../../../../agent/image/chunk-fence.ts';
import type { ImageStore as AgentImageStore } from '../../../../../agent/image/image-store.ts';
import {
  serializeCondemnedList,
  serializeSweepNotice,
} from '../../../../../agent/protocol/chunk-collection.ts';
import {
  chunkKeyOf,
  chunksPrefixOf,
  condemnedChunksKeyOf,
  sweepNoticeKeyOf,
  sweepNoticesPrefixOf,
} from '../../../../../blueprint/facts.ts';
import type { Slice } from '../../../../../core/slices/slice.ts';
import { registerSnapshot } from '../../../../../core/use-cases/register-snapshot.ts';
import { anUploadingSnapshot } from './use-case-steps.ts';

/**
 * The agent's view of the images bucket over the memory ports: what an upload reads of the chunk
 * collection (the condemned list, the notices) and the chunks it finds and writes, so that the
 * agent's own ChunkFence runs against the memory collection and image stores.
 */
export function agentStoreOver(ports: MemoryPorts, accountId: string): AgentImageStore {
  const noticeIdOf = (key: string) =>
    key.startsWith(sweepNoticesPrefixOf(accountId))
      ? key.slice(sweepNoticesPrefixOf(accountId).length, -'.json'.length)
      : null;
  return {
    chunkSize: async (key) =>
      (await ports.images.in('fra1').missingObjects([key])).length ? null : 1,
    listChunks: async () => {
      const { chunks } = await ports.images.in('fra1').listChunkPage(accountId, null);
      const prefix = chunksPrefixOf(accountId);
      return { chunks: chunks.map((chunk) => ({ hash: chunk.key.slice(prefix.length), size: 1 })) };
    },
    putChunk: async (key) => {
      ports.images.in('fra1').putChunks(accountId, [key.slice(chunksPrefixOf(accountId).length)]);
    },
    getChunk: async () => null,
    putManifest: async () => undefined,
    getManifest: async () => null,
    getText: async (key) => {
      if (key === condemnedChunksKeyOf(accountId)) {
        return serializeCondemnedList(await ports.collection.in('fra1').readCondemned(accountId));
      }
      const markId = noticeIdOf(key);
      const notice =
        markId === null ? null : await ports.collection.in('fra1').readNotice(accountId, markId);
      return notice === null ? null : serializeSweepNotice(notice);
    },
    listKeys: async (prefix) =>
      prefix === sweepNoticesPrefixOf(accountId)
        ? (await ports.collection.in('fra1').readNotices(accountId)).map((notice) =>
            sweepNoticeKeyOf(accountId, notice.markId),
          )
        : [],
  };
}

/**
 * An upload of a snapshot of `slice` whose disk holds `hashes`, in the steps the agent takes:
 * `start` reads the fence, `write` counts on chunks found stored that the fence allows and writes
 * the rest, `settle` makes sure no sweep took one it wrote, `commit` writes the manifest and
 * registers the snapshot. `fenced: false` plays an upload that ignores the collection.
 */
export class CollectionUpload {
  readonly #ports: MemoryPorts;
  readonly #slice: Slice;
  readonly #hashes: readonly string[];
  readonly #timing: FenceTiming;
  readonly #fenced: boolean;
  readonly #written = new Set<string>();
  #fence: ChunkFence | null = null;
  #step: Awaited<ReturnType<typeof anUploadingSnapshot>>['step'] | null = null;

  constructor(
    ports: MemoryPorts,
    slice: Slice,
    hashes: readonly string[],
    options: { timing: FenceTiming; fenced?: boolean },
  ) {
    this.#ports = ports;
    this.#slice = slice;
    this.#hashes = hashes;
    this.#timing = options.timing;
    this.#fenced = options.fenced ?? true;
  }

  get snapshotId(): string | null {
    return this.#step?.snapshotId ?? null;
  }

  async start(): Promise<void> {
    this.#step = (await anUploadingSnapshot(this.#ports, this.#slice, false)).step;
    const store = agentStoreOver(this.#ports, this.#slice.accountId);
    if (this.#fenced)
      this.#fence = await ChunkFence.read(store, this.#slice.accountId, this.#timing);
  }

  async write(): Promise<void> {
    const { accountId } = this.#slice;
    for (const hash of this.#hashes) {
      const stored =
        (await this.#ports.images.in('fra1').missingObjects([chunkKeyOf(accountId, hash)]))
          .length === 0;
      if (stored && !this.#fence?.avoids(hash)) continue;
      this.#ports.images.in('fra1').putChunks(accountId, [hash]);
      this.#written.add(hash);
    }
  }

  async settle(): Promise<void> {
    await this.#fence?.settle(this.#written, async (hash) => {
      this.#ports.images.in('fra1').putChunks(this.#slice.accountId, [hash]);
    });
  }

  async commit(): Promise<void> {
    if (this.#step === null) throw new Error('the upload never started');
    this.#ports.images.in('fra1').putImage(this.#slice.accountId, this.#step.snapshotId, {
      diskBytes: this.#slice.diskBytes,
      usedBytes: this.#hashes.length * 4 * 1024 * 1024,
      chunkHashes: this.#hashes,
    });
    await registerSnapshot(this.#ports, this.#step);
  }
}

/** Every order of `first` and `second` that keeps each one's own order. */
export function interleavings<T>(first: readonly T[], second: readonly T[]): T[][] {
  if (first.length === 0) return [[...second]];
  if (second.length === 0) return [[...first]];
  const [a, ...restA] = first as [T, ...T[]];
  const [b, ...restB] = second as [T, ...T[]];
  return [
    ...interleavings(restA, second).map((order) => [a, ...order]),
    ...interleavings(first, restB).map((order) => [b, ...order]),
  ];
}
