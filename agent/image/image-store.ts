import type { ChunkEncoding } from './chunk-worker-protocol.ts';

/** One page of the chunks stored under an account, in key order. */
export interface ChunkPage {
  readonly chunks: ReadonlyArray<{ readonly hash: string; readonly size: number }>;
  /** Absent on the last page. */
  readonly next?: string;
}

export interface StoredChunk {
  readonly body: Buffer;
  readonly encoding: ChunkEncoding;
}

/**
 * Where images live (S3 in AWS, s3rver locally). Missing objects are `null`; every other failure
 * is an `AgentFailure` named `StoreUnavailable`, after the client's own retries.
 */
export interface ImageStore {
  /** Stored size of a chunk, or null when it is not stored. */
  chunkSize(key: string): Promise<number | null>;
  /** Lists `<accountId>/chunks/` a page (up to 1,000 keys) at a time, in key order. */
  listChunks(accountId: string, next?: string): Promise<ChunkPage>;
  putChunk(key: string, body: Uint8Array, meta: { encoding: ChunkEncoding }): Promise<void>;
  getChunk(key: string): Promise<StoredChunk | null>;
  putManifest(key: string, text: string): Promise<void>;
  getManifest(key: string): Promise<string | null>;
  /** A small JSON object (the chunk collection's), or null when none is stored. */
  getText(key: string): Promise<string | null>;
  /** Every key under `prefix` (a few at most: the collection's notices). */
  listKeys(prefix: string): Promise<string[]>;
}
