import {
  CHUNK_GRACE_SECONDS,
  SWEEP_STEP_TIMEOUT_SECONDS,
  WORKFLOW_TIMEOUT_SECONDS,
} from '../../blueprint/facts.ts';

/**
 * Mark-and-sweep collection of an account's chunks, without a lock between uploads and deletions
 * (docs/chunk-collection.md has the whole argument). A pass publishes a sweep notice naming the
 * chunks it may delete, then marks every chunk a live manifest (or any manifest left in the store)
 * names, then lists the account's chunks: an unmarked chunk is condemned, and one condemned for the
 * grace period, still unmarked and not written since, is deleted. Uploads read the condemned list
 * and the notices: they never count on a chunk either names, and they make sure a chunk they wrote
 * outlived every sweep that could delete it before their manifest names it.
 */

/** Chunk hash → when it was condemned (ISO time). */
export type CondemnedChunks = ReadonlyMap<string, string>;

/** What a pass tells uploads before it reads any manifest. */
export interface SweepNotice {
  readonly markId: string;
  readonly publishedAt: string;
  /** Hashes of the chunks it may delete. */
  readonly eligible: readonly string[];
  /** It deletes nothing at or after this time. */
  readonly deleteUntil: string;
  /** Null while it may still delete. */
  readonly endedAt: string | null;
}

/** LIST pages (1,000 chunks each) one sweep step judges. */
export const SWEEP_PAGES_PER_STEP = 20;

/** The chunks condemned long enough, as of `now`, that a sweep starting now may delete. */
export function eligibleForSweep(condemned: CondemnedChunks, now: Date): string[] {
  const latest = now.getTime() - CHUNK_GRACE_SECONDS * 1000;
  return [...condemned].filter(([, at]) => Date.parse(at) <= latest).map(([hash]) => hash);
}

/**
 * Until when a pass published at `publishedAt` may delete: its last step ends before the pass's own
 * timeout, so uploads may count on nothing being deleted past it, whatever became of the pass.
 */
export function sweepDeadline(publishedAt: Date): Date {
  const seconds = WORKFLOW_TIMEOUT_SECONDS['storage-mark'] - SWEEP_STEP_TIMEOUT_SECONDS;
  return new Date(publishedAt.getTime() + seconds * 1000);
}

/** What the sweep found of one listed chunk. */
export interface ListedChunk {
  readonly hash: string;
  readonly lastModified: Date;
  /** Named by a manifest the pass marked. */
  readonly marked: boolean;
}

export type ChunkVerdict =
  | { readonly action: 'keep' }
  | { readonly action: 'delete' }
  | { readonly action: 'condemn'; readonly since: string };

/**
 * The sweep's verdict on a chunk. A marked chunk is kept and leaves the condemned list. An
 * unmarked one is deleted only when the notice named it (condemned for the grace period when the
 * pass began), nothing wrote it since it was condemned (an upload that found it condemned writes it
 * again) and the sweep may still delete; otherwise it stays condemned, from its first condemnation
 * or, when written since, from the start of this pass.
 */
export function judgeChunk(
  chunk: ListedChunk,
  condemned: CondemnedChunks,
  eligible: ReadonlySet<string>,
  passStartedAt: string,
  mayDelete: boolean,
): ChunkVerdict {
  if (chunk.marked) return { action: 'keep' };
  const since = condemned.get(chunk.hash);
  if (since === undefined) return { action: 'condemn', since: passStartedAt };
  const writtenSince = chunk.lastModified.getTime() >= Date.parse(since);
  if (writtenSince) return { action: 'condemn', since: passStartedAt };
  if (mayDelete && eligible.has(chunk.hash)) return { action: 'delete' };
  return { action: 'condemn', since };
}

/** The condemned list a sweep builds page by page, and what it has deleted so far. */
export interface SweepProgress {
  readonly condemned: ReadonlyArray<readonly [hash: string, since: string]>;
  readonly deleted: number;
  readonly deletedBytes: number;
  /**
   * Keys of chunks named by manifests the mark did not read (left in the store by a snapshot not
   * live, or written after its page was read): never deleted while such a manifest exists.
   */
  readonly alsoMarked: readonly string[];
  /** Where the listing stands: the cursor of the next page, null before the first or after the last. */
  readonly through: string | null;
  /** Every chunk is judged. */
  readonly done: boolean;
}
