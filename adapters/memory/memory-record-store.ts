import { CursorCodec, cursorScope } from '../../core/pagination/cursor-codec.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import { type ExaminedRecords, readSelectedPage } from '../../core/pagination/selected-page.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { isResourceId } from '../../core/shared/ids.ts';
import {
  ConcurrentModificationError,
  RecordAlreadyExistsError,
  type RecordKind,
} from '../../core/shared/persistence-errors.ts';
import { MemoryOutbox } from './memory-outbox.ts';

/** What every stored record has. */
export interface StoredRecord {
  readonly id: string;
  readonly accountId: string;
  /** The record's state, where its kind has one (a policy has none). */
  readonly status?: string;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Records of one kind kept in memory with the repositories' semantics: copies in and out (no
 * aliasing), conditional create and update, account-scoped reads, newest-first signed pages.
 */
export class MemoryRecordStore<T extends StoredRecord> {
  readonly #kind: RecordKind;
  readonly #cursors: CursorCodec;
  readonly #records = new Map<string, T>();

  constructor(kind: RecordKind, cursors: CursorCodec) {
    this.#kind = kind;
    this.#cursors = cursors;
  }

  #key(accountId: string, id: string): string {
    return JSON.stringify([accountId, id]);
  }

  create(record: T): void {
    const key = this.#key(record.accountId, record.id);
    if (this.#records.has(key)) throw new RecordAlreadyExistsError(this.#kind, record.id);
    this.#records.set(key, structuredClone(record));
  }

  get(accountId: string, id: string): T | null {
    const record = this.#records.get(this.#key(accountId, id));
    return record ? structuredClone(record) : null;
  }

  /** Every record of every account, copies. */
  all(): T[] {
    return [...this.#records.values()].map((record) => structuredClone(record));
  }

  /** Removes the record; a missing one is left missing. */
  delete(accountId: string, id: string): void {
    this.#records.delete(this.#key(accountId, id));
  }

  /** Stores `record` as is: for the adapter's own read-modify-write steps, already checked. */
  put(record: T): void {
    this.#records.set(this.#key(record.accountId, record.id), structuredClone(record));
  }

  /**
   * Applies the fields `next` changes from `current` when `stillExpected(stored)` holds (by default:
   * the stored status is `current`'s); else ConcurrentModificationError.
   */
  update(
    current: T,
    next: T,
    stillExpected: (stored: T) => boolean = (stored) => stored.status === current.status,
  ): void {
    if (next.id !== current.id || next.accountId !== current.accountId) {
      throw new Error(`an update cannot change a ${this.#kind}'s id or account`);
    }
    const key = this.#key(current.accountId, current.id);
    const stored = this.#records.get(key);
    if (!stored || !stillExpected(stored)) {
      throw new ConcurrentModificationError(this.#kind, current.id, current.status ?? 'as read');
    }
    const before = new Map(Object.entries(current));
    const changed = Object.entries(next).filter(
      ([field, value]) => !sameValue(value, before.get(field)),
    );
    this.#records.set(key, structuredClone({ ...stored, ...Object.fromEntries(changed) }));
  }

  /**
   * Up to `max` of the account's records after `afterId`, newest first, as a store reads them:
   * every record counts as examined, and only those that pass `keep` are returned.
   */
  examine(
    accountId: string,
    keep: (record: T) => boolean,
    afterId: string | null,
    max: number,
  ): ExaminedRecords<T> {
    const following = [...this.#records.values()]
      .filter((record) => record.accountId === accountId)
      .filter((record) => afterId === null || record.id < afterId)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const read = following.slice(0, max);
    return {
      items: read.filter(keep).map((record) => structuredClone(record)),
      examined: read.length,
      lastExaminedId: read.at(-1)?.id ?? null,
      exhausted: following.length <= max,
    };
  }

  /**
   * A newest-first page of the account's records that pass `keep` and `matches`, bound to `list`
   * and `filters`, read as the DynamoDB adapters read (at most MAX_RECORDS_EXAMINED a page).
   */
  async list(
    list: string,
    accountId: string,
    filters: Readonly<Record<string, string | null | undefined>>,
    keep: (record: T) => boolean,
    page: PageRequest,
    matches: (record: T) => boolean = () => true,
  ): Promise<Page<T>> {
    const scope = cursorScope(list, accountId, filters);
    const afterId = page.cursor
      ? this.#cursors.decode(scope, page.cursor, (id) => isResourceId(this.#kind, id))
      : null;
    const selected = await readSelectedPage({
      limit: page.limit,
      afterId,
      matches,
      examine: async (after, max) => this.examine(accountId, keep, after, max),
    });
    return this.#cursors.pageOf(scope, selected);
  }
}

/**
 * What every in-memory repository of one kind of account record does alike: its store, the
 * outbox that records the events written with a change (the ports' `events`, in tests), create,
 * get and the conditional update, whose condition each kind names in `stillExpected`.
 */
export abstract class MemoryAccountRecords<T extends StoredRecord> {
  protected readonly store: MemoryRecordStore<T>;
  protected readonly outbox: MemoryOutbox;

  constructor(kind: RecordKind, options: { cursorSigner: Signer; outbox?: MemoryOutbox }) {
    this.store = new MemoryRecordStore(kind, new CursorCodec(options.cursorSigner));
    this.outbox = options.outbox ?? new MemoryOutbox();
  }

  async create(record: T, write: WriteEvents = {}): Promise<void> {
    this.store.create(record);
    this.outbox.recordWritten(write.events);
  }

  async get(accountId: string, id: string): Promise<T | null> {
    return this.store.get(accountId, id);
  }

  async update(current: T, next: T, write: WriteEvents = {}): Promise<void> {
    this.store.update(current, next, (stored) => this.stillExpected(stored, current, next));
    this.outbox.recordWritten(write.events);
  }

  /** Whether `stored` is still the record `current` was read as, for writing `next` over it. */
  protected stillExpected(stored: T, current: T, _next: T): boolean {
    return stored.status === current.status;
  }
}
