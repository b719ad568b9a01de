import type { CondemnedChunks, SweepNotice, SweepProgress } from '../storage/chunk-collection.ts';

/**
 * Where an account's chunk collection keeps its state, beside the account's images: the condemned
 * list and the sweep notices, which uploads read too, and the progress of a sweep between steps.
 */
export interface CollectionStore {
  /** The account's condemned chunks; empty when none were ever condemned. */
  readCondemned(accountId: string): Promise<Map<string, string>>;

  /** Replaces the account's condemned list. */
  writeCondemned(accountId: string, condemned: CondemnedChunks): Promise<void>;

  /** The pass's notice, or null when it published none. */
  readNotice(accountId: string, markId: string): Promise<SweepNotice | null>;

  /** Every notice of the account still stored, ended or not. */
  readNotices(accountId: string): Promise<SweepNotice[]>;

  /** Writes (or rewrites, to end it) the pass's notice. */
  writeNotice(accountId: string, notice: SweepNotice): Promise<void>;

  /**
   * Deletes the notices that ended before `before`: no upload still running can have written a
   * chunk one of them deleted. Answers how many it deleted.
   */
  deleteNoticesEndedBefore(accountId: string, before: Date): Promise<number>;

  loadProgress(accountId: string, markId: string): Promise<SweepProgress | null>;

  saveProgress(accountId: string, markId: string, progress: SweepProgress): Promise<void>;

  /** Deletes the pass's progress; none stored is fine. */
  deleteProgress(accountId: string, markId: string): Promise<void>;
}
