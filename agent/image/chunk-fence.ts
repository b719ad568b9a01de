import {
  chunkKeyOf,
  condemnedChunksKeyOf,
  sweepNoticesPrefixOf,
  WORKFLOW_TIMEOUT_SECONDS,
} from '../../blueprint/facts.ts';
import { AgentFailure } from '../errors.ts';
import {
  CollectionFormatError,
  parseCondemnedList,
  parseSweepNotice,
  type SweepNotice,
} from '../protocol/chunk-collection.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import type { ImageStore } from './image-store.ts';

/** How often a notice that may delete a chunk of ours is read again while it lasts. */
const NOTICE_POLL_MS = 1_000;

/**
 * How long a notice can last from when this upload first saw it, by the agent's own clock: a pass
 * deletes nothing past its own timeout, whatever the clocks of the functions say.
 */
const NOTICE_LIFETIME_MS = (WORKFLOW_TIMEOUT_SECONDS['storage-mark'] + 300) * 1_000;

/** The clock the fence waits by; tests give their own. */
export interface FenceTiming {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realTiming: FenceTiming = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    }),
};

async function readNotices(store: ImageStore, accountId: string): Promise<SweepNotice[]> {
  const notices: SweepNotice[] = [];
  for (const key of await store.listKeys(sweepNoticesPrefixOf(accountId))) {
    const text = await store.getText(key);
    if (text !== null) notices.push(parseSweepNotice(text));
  }
  return notices;
}

function unreadable(error: unknown): never {
  if (error instanceof CollectionFormatError) {
    throw new AgentFailure(
      AGENT_ERRORS.StoreUnavailable,
      `the chunk collection's state: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  throw error;
}

/**
 * An upload's side of the chunk collection (docs/chunk-collection.md). Read before the upload
 * counts on any stored chunk: a chunk the condemned list or a sweep notice names is never counted
 * on, but written again. Settled before the manifest: a chunk this upload wrote that a notice
 * names may have been deleted after it was written, so the upload waits for that sweep to end and
 * writes again any such chunk that is gone. No lock: uploads never wait for a collection unless
 * one may delete a chunk they wrote, and then only until it ends.
 */
export class ChunkFence {
  readonly #store: ImageStore;
  readonly #accountId: string;
  readonly #timing: FenceTiming;
  readonly #avoided: Set<string>;
  /** When this upload first saw each notice, by its own clock. */
  readonly #firstSeen = new Map<string, number>();

  private constructor(
    store: ImageStore,
    accountId: string,
    timing: FenceTiming,
    avoided: Set<string>,
  ) {
    this.#store = store;
    this.#accountId = accountId;
    this.#timing = timing;
    this.#avoided = avoided;
  }

  /** Reads the account's condemned list and sweep notices. */
  static async read(
    store: ImageStore,
    accountId: string,
    timing: FenceTiming = realTiming,
  ): Promise<ChunkFence> {
    try {
      const avoided = new Set<string>();
      const condemned = await store.getText(condemnedChunksKeyOf(accountId));
      if (condemned !== null) {
        for (const hash of Object.keys(parseCondemnedList(condemned).chunks)) avoided.add(hash);
      }
      const fence = new ChunkFence(store, accountId, timing, avoided);
      for (const notice of await readNotices(store, accountId)) {
        fence.#seen(notice);
        for (const hash of notice.eligible) avoided.add(hash);
      }
      return fence;
    } catch (error) {
      return unreadable(error);
    }
  }

  /** Whether the upload must not count on the chunk being stored, and writes it instead. */
  avoids(hash: string): boolean {
    return this.#avoided.has(hash);
  }

  #seen(notice: SweepNotice): void {
    if (!this.#firstSeen.has(notice.markId)) this.#firstSeen.set(notice.markId, this.#timing.now());
  }

  #over(notice: SweepNotice): boolean {
    if (notice.endedAt !== null) return true;
    const first = this.#firstSeen.get(notice.markId) ?? this.#timing.now();
    return this.#timing.now() - first >= NOTICE_LIFETIME_MS;
  }

  /**
   * Makes sure every chunk of `written` (hashes this upload wrote) is stored once no sweep that
   * could delete it still runs: waits for each notice naming one of them to end, then writes again
   * (`rewrite`) those that are gone. Answers the hashes written again.
   */
  async settle(
    written: Iterable<string>,
    rewrite: (hash: string) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<string[]> {
    const ours = new Set(written);
    const rewritten: string[] = [];
    try {
      let waiting = await this.#noticesNaming(ours);
      while (waiting.some((notice) => !this.#over(notice))) {
        await this.#timing.sleep(NOTICE_POLL_MS, signal);
        waiting = await this.#noticesNaming(ours);
      }
      const suspects = new Set(
        waiting.flatMap((notice) => notice.eligible.filter((hash) => ours.has(hash))),
      );
      for (const hash of suspects) {
        if ((await this.#store.chunkSize(chunkKeyOf(this.#accountId, hash))) !== null) continue;
        await rewrite(hash);
        rewritten.push(hash);
      }
    } catch (error) {
      return unreadable(error);
    }
    return rewritten;
  }

  async #noticesNaming(hashes: ReadonlySet<string>): Promise<SweepNotice[]> {
    const notices = await readNotices(this.#store, this.#accountId);
    for (const notice of notices) this.#seen(notice);
    return notices.filter((notice) => notice.eligible.some((hash) => hashes.has(hash)));
  }
}
