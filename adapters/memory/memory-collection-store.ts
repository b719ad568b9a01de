import type { CollectionStore } from '../../core/ports/collection-store.ts';
import type {
  CondemnedChunks,
  SweepNotice,
  SweepProgress,
} from '../../core/storage/chunk-collection.ts';

/** CollectionStore in memory, kept as the JSON the bucket would hold. */
export class MemoryCollectionStore implements CollectionStore {
  readonly #condemned = new Map<string, string>();
  readonly #notices = new Map<string, string>();
  readonly #progress = new Map<string, string>();

  async readCondemned(accountId: string): Promise<Map<string, string>> {
    const text = this.#condemned.get(accountId);
    return new Map(text === undefined ? [] : (JSON.parse(text) as [string, string][]));
  }

  async writeCondemned(accountId: string, condemned: CondemnedChunks): Promise<void> {
    this.#condemned.set(accountId, JSON.stringify([...condemned]));
  }

  async readNotice(accountId: string, markId: string): Promise<SweepNotice | null> {
    const text = this.#notices.get(`${accountId}/${markId}`);
    return text === undefined ? null : (JSON.parse(text) as SweepNotice);
  }

  /** Every notice of the account, as uploads list them. */
  async readNotices(accountId: string): Promise<SweepNotice[]> {
    return [...this.#notices]
      .filter(([key]) => key.startsWith(`${accountId}/`))
      .map(([, text]) => JSON.parse(text) as SweepNotice);
  }

  async writeNotice(accountId: string, notice: SweepNotice): Promise<void> {
    this.#notices.set(`${accountId}/${notice.markId}`, JSON.stringify(notice));
  }

  async deleteNoticesEndedBefore(accountId: string, before: Date): Promise<number> {
    let deleted = 0;
    for (const notice of await this.readNotices(accountId)) {
      if (notice.endedAt !== null && Date.parse(notice.endedAt) < before.getTime()) {
        this.#notices.delete(`${accountId}/${notice.markId}`);
        deleted += 1;
      }
    }
    return deleted;
  }

  async loadProgress(accountId: string, markId: string): Promise<SweepProgress | null> {
    const text = this.#progress.get(`${accountId}/${markId}`);
    return text === undefined ? null : (JSON.parse(text) as SweepProgress);
  }

  async saveProgress(accountId: string, markId: string, progress: SweepProgress): Promise<void> {
    this.#progress.set(`${accountId}/${markId}`, JSON.stringify(progress));
  }

  async deleteProgress(accountId: string, markId: string): Promise<void> {
    this.#progress.delete(`${accountId}/${markId}`);
  }

  /** Sweeps in progress, for tests to see that a pass cleans up after itself. */
  get progressCount(): number {
    return this.#progress.size;
  }
}
