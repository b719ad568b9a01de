import { chunkKeyOf } from '../../blueprint/facts.ts';
import type { ImageStore } from './image-store.ts';

/** Keys one LIST page covers, against one HEAD per chunk. */
const CHUNKS_PER_LISTED_PAGE = 200;

/**
 * What the store already holds of an account's chunks. A HEAD per chunk costs about 15% of an
 * upload's throughput on s3rver, so the account's chunk keys are listed first, within a budget of
 * one page per 200 chunks to upload (at most 0.5% of the requests HEADs would make). Keys come in
 * order and hashes spread evenly, so a partial listing still answers for every hash up to the
 * last key listed; only hashes past it are asked about one by one.
 */
export class StoredChunks {
  readonly #store: ImageStore;
  readonly #accountId: string;
  readonly #sizes = new Map<string, number>();
  /** Hashes up to this one (inclusive) are all in `#sizes` if stored. */
  #listedThrough = '';
  #complete = false;

  constructor(store: ImageStore, accountId: string) {
    this.#store = store;
    this.#accountId = accountId;
  }

  /** Lists up to the budget for `candidateChunks` chunks. */
  async prime(candidateChunks: number): Promise<void> {
    const budget = Math.max(1, Math.ceil(candidateChunks / CHUNKS_PER_LISTED_PAGE));
    let next: string | undefined;
    for (let pages = 0; pages < budget; pages++) {
      const page = await this.#store.listChunks(this.#accountId, next);
      for (const { hash, size } of page.chunks) this.#sizes.set(hash, size);
      const last = page.chunks.at(-1)?.hash;
      if (last !== undefined) this.#listedThrough = last;
      if (!page.next) {
        this.#complete = true;
        return;
      }
      next = page.next;
    }
  }

  /** Stored size of a chunk, or null when it is not stored. */
  async sizeOf(hash: string): Promise<number | null> {
    const known = this.#sizes.get(hash);
    if (known !== undefined) return known;
    if (this.#complete || hash <= this.#listedThrough) return null;
    return this.#store.chunkSize(chunkKeyOf(this.#accountId, hash));
  }
}
