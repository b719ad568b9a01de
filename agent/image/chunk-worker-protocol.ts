import type { ChunkHashAlgorithm } from '../protocol/manifest.ts';

export type ChunkEncoding = 'raw' | 'zstd';

/** Work the chunk workers do off the event loop: read + zero-test + hash, encode, verify + write. */
export type WorkerRequest =
  | {
      readonly op: 'read';
      readonly fd: number;
      readonly offset: number;
      readonly length: number;
      readonly algorithm: ChunkHashAlgorithm;
    }
  | { readonly op: 'encode'; readonly handle: number; readonly zstdLevel: number }
  | { readonly op: 'release'; readonly handle: number }
  | {
      readonly op: 'restore';
      readonly fd: number;
      readonly offset: number;
      readonly length: number;
      readonly algorithm: ChunkHashAlgorithm;
      readonly hash: string;
      readonly encoding: ChunkEncoding;
      readonly payload: ArrayBuffer;
    };

/**
 * A non-zero chunk stays in its worker, named by `handle`, until it is encoded (when the store
 * lacks it) or released: most chunks of an incremental snapshot never leave the worker.
 */
export type ChunkReadOf<Handle> =
  | { readonly zero: true }
  | { readonly zero: false; readonly hash: string; readonly handle: Handle };

/** A read as a worker answers it: the handle is its own number for the chunk. */
export type ReadResult = ChunkReadOf<number>;
export interface EncodeResult {
  readonly payload: ArrayBuffer;
  readonly encoding: ChunkEncoding;
}
export interface RestoreResult {
  readonly writtenBytes: number;
}

export type WorkerResponse =
  | {
      readonly id: number;
      readonly ok: true;
      readonly value: ReadResult | EncodeResult | RestoreResult | null;
    }
  | {
      readonly id: number;
      readonly ok: false;
      readonly corrupt: boolean;
      readonly message: string;
    };
