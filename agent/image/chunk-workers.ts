import { Worker } from 'node:worker_threads';
import { AgentFailure } from '../errors.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import type { ChunkHashAlgorithm } from '../protocol/manifest.ts';
import type {
  ChunkEncoding,
  ChunkReadOf,
  EncodeResult,
  ReadResult,
  RestoreResult,
  WorkerRequest,
  WorkerResponse,
} from './chunk-worker-protocol.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

const WORKER_URL = new URL('./chunk-worker.ts', import.meta.url);

/** A chunk held by one worker (see `ChunkWorkers.read`). */
export interface ChunkHandle {
  readonly slot: unknown;
  readonly id: number;
}

/** A read as the pipeline sees it: the handle names the worker that holds the chunk too. */
export type ChunkRead = ChunkReadOf<ChunkHandle>;

/**
 * Worker threads for the CPU work of the pipeline (hashing, zstd, zero tests, reads and writes
 * of chunk bytes), so the event loop only moves requests. Buffers are transferred, never copied.
 */
export class ChunkWorkers {
  readonly #slots: Slot[] = [];
  #nextId = 1;
  #closed = false;

  constructor(size: number) {
    for (let i = 0; i < Math.max(1, size); i++) this.#slots.push(this.#spawn());
  }

  get size(): number {
    return this.#slots.length;
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_URL);
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      const pending = slot.pending.get(response.id);
      if (!pending) return;
      slot.pending.delete(response.id);
      if (response.ok) pending.resolve(response.value);
      else {
        pending.reject(
          new AgentFailure(
            response.corrupt ? AGENT_ERRORS.ImageCorrupt : AGENT_ERRORS.AgentError,
            response.message,
          ),
        );
      }
    });
    const failAll = (error: Error) => {
      for (const pending of slot.pending.values()) pending.reject(error);
      slot.pending.clear();
      const index = this.#slots.indexOf(slot);
      if (index >= 0 && !this.#closed) this.#slots[index] = this.#spawn();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (!this.#closed) failAll(new Error(`chunk worker exited with code ${code}`));
    });
    return slot;
  }

  #leastBusy(): Slot {
    // Chunk jobs vary (zero chunks are cheap, text compresses slowly): pick the least busy.
    let slot = this.#slots[0]!;
    for (const candidate of this.#slots) {
      if (candidate.pending.size < slot.pending.size) slot = candidate;
    }
    return slot;
  }

  #run<T>(
    request: WorkerRequest,
    transfer: ArrayBuffer[] = [],
    slot = this.#leastBusy(),
  ): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('chunk workers are closed'));
    if (!this.#slots.includes(slot)) {
      return Promise.reject(new Error('the chunk worker holding this chunk has exited'));
    }
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      slot.worker.postMessage({ id, request }, transfer);
    });
  }

  /**
   * Reads a chunk; all zeros come back as `{ zero: true }`. A non-zero chunk stays in its worker
   * under a handle: pass it to `encode` or `release`, exactly once.
   */
  async read(
    fd: number,
    offset: number,
    length: number,
    algorithm: ChunkHashAlgorithm,
  ): Promise<ChunkRead> {
    const slot = this.#leastBusy();
    const result = await this.#run<ReadResult>(
      { op: 'read', fd, offset, length, algorithm },
      [],
      slot,
    );
    return result.zero
      ? { zero: true }
      : { zero: false, hash: result.hash, handle: { slot, id: result.handle } };
  }

  /** zstd when it pays (probe first, keep only if it shrinks); consumes the handle. */
  encode(handle: ChunkHandle, zstdLevel: number): Promise<EncodeResult> {
    return this.#run({ op: 'encode', handle: handle.id, zstdLevel }, [], handle.slot as Slot);
  }

  /** Frees a chunk that need not be stored. */
  async release(handle: ChunkHandle): Promise<void> {
    await this.#run({ op: 'release', handle: handle.id }, [], handle.slot as Slot);
  }

  /** Decodes and verifies a stored chunk and writes its non-zero blocks; `ImageCorrupt` if bad. */
  restore(request: {
    fd: number;
    offset: number;
    length: number;
    algorithm: ChunkHashAlgorithm;
    hash: string;
    encoding: ChunkEncoding;
    payload: ArrayBuffer;
  }): Promise<RestoreResult> {
    return this.#run({ op: 'restore', ...request }, [request.payload]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }
}
