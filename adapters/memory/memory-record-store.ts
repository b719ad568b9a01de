import { type CursorCodec, cursorScope } from '../../core/pagination/cursor-codec.ts';
import { type Page, type PageRequest, pageFrom } from '../../core/pagination/page.ts';
import { isResourceId } from '../../core/shared/ids.ts';
import {
  ConcurrentModificationError,
  RecordAlreadyExistsError,
  type RecordKind,
} from '../../core/shared/persistence-errors.ts';

/** What every stored record has. */
export interface StoredRecord {
  readonly id: string;
  readonly accountId: string;
  readonly status: string;
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
      throw new ConcurrentModificationError(this.#kind, current.id, current.status);
    }
    const before = new Map(Object.entries(current));
    const changed = Object.entries(next).filter(
      ([field, value]) => !sameValue(value, before.get(field)),
    );
    this.#records.set(key, structuredClone({ ...stored, ...Object.fromEntries(changed) }));
  }

  /** A newest-first page of the account's records that pass `keep`, bound to `list` and `filters`. */
  list(
    list: string,
    accountId: string,
    filters: Readonly<Record<string, string | null | undefined>>,
    keep: (record: T) => boolean,
    page: PageRequest,
  ): Page<T> {
    const scope = cursorScope(list, accountId, filters);
    const after = page.cursor
      ? this.#cursors.decode(scope, page.cursor, (id) => isResourceId(this.#kind, id))
      : null;
    const matching = [...this.#records.values()]
      .filter((record) => record.accountId === accountId && keep(record))
      .filter((record) => after === null || record.id < after)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, page.limit + 1)
      .map((record) => structuredClone(record));
    return pageFrom(matching, page.limit, (lastId) => this.#cursors.encode(scope, lastId));
  }
}
