import type { ChunkTallyState } from '../storage/chunk-tally.ts';

/**
 * The tally of a mark pass in progress, kept between its pages. A tally is as large as the
 * account's distinct live chunks, beyond what a workflow's state may carry, so it is stored as an
 * object of its own under the account's prefix.
 */
export interface MarkTallyStore {
  /** Stores the pass's tally, replacing what was stored for it. */
  save(accountId: string, markId: string, tally: ChunkTallyState): Promise<void>;

  /** The pass's tally, or null when none is stored. */
  load(accountId: string, markId: string): Promise<ChunkTallyState | null>;

  /** Deletes the pass's tally; none stored is fine. */
  delete(accountId: string, markId: string): Promise<void>;

  /**
   * Deletes the account's tallies last written before `before`: those of passes that failed,
   * which no step deletes. Answers how many it deleted.
   */
  deleteWrittenBefore(accountId: string, before: Date): Promise<number>;
}
