import type { Clock } from '../../core/ports/clock.ts';
import type { MarkTallyStore } from '../../core/ports/mark-tally-store.ts';
import type { ChunkTallyState } from '../../core/storage/chunk-tally.ts';

/** MarkTallyStore in memory: tallies kept as the JSON text the bucket would hold, at the clock's time. */
export class MemoryMarkTallyStore implements MarkTallyStore {
  readonly #tallies = new Map<string, { readonly text: string; readonly at: number }>();
  readonly #clock: Clock;

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  /** Tallies stored now, for tests to see that a pass cleans up after itself. */
  get size(): number {
    return this.#tallies.size;
  }

  async save(accountId: string, markId: string, tally: ChunkTallyState): Promise<void> {
    const at = this.#clock.now().getTime();
    this.#tallies.set(`${accountId}/${markId}`, { text: JSON.stringify(tally), at });
  }

  async load(accountId: string, markId: string): Promise<ChunkTallyState | null> {
    const stored = this.#tallies.get(`${accountId}/${markId}`);
    return stored === undefined ? null : (JSON.parse(stored.text) as ChunkTallyState);
  }

  async delete(accountId: string, markId: string): Promise<void> {
    this.#tallies.delete(`${accountId}/${markId}`);
  }

  async deleteWrittenBefore(accountId: string, before: Date): Promise<number> {
    let deleted = 0;
    for (const [key, stored] of this.#tallies) {
      if (key.startsWith(`${accountId}/`) && stored.at < before.getTime()) {
        this.#tallies.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }
}
