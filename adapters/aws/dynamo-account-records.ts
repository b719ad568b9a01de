import type { DomainEvent } from '../../core/events/event-types.ts';
import { CursorCodec, cursorScope } from '../../core/pagination/cursor-codec.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { isResourceId } from '../../core/shared/ids.ts';
import type { RecordKind } from '../../core/shared/persistence-errors.ts';
import { recordAttributes } from './dynamo-items.ts';
import { accountPartition, recordKey, sortKeyPrefix, type TableKey } from './dynamo-keys.ts';
import {
  type Condition,
  DynamoRecordTable,
  type Item,
  type TableAccess,
} from './dynamo-record-table.ts';
import { querySelectedPage } from './dynamo-selected-page.ts';

/** What a repository of account records is built with. */
export type AccountRecordsOptions = TableAccess & { readonly cursorSigner: Signer };

/**
 * How one kind of record is stored: its kind (the sort key's prefix) and its item both ways. By
 * default the item is the record's attributes with its key and kind, and the record is read back
 * as they are.
 */
export interface AccountRecordCodec<T> {
  readonly kind: RecordKind;
  readonly toItem?: (record: T) => Item & TableKey;
  readonly fromItem?: (item: Item) => T;
}

type AccountRecord = { readonly id: string; readonly accountId: string };

/** A record's item as most kinds store it: its attributes, `more` of them, its key and its kind. */
export function accountRecordItem<T extends AccountRecord>(
  kind: RecordKind,
  record: T,
  more: Item = {},
): Item & TableKey {
  return { ...record, ...more, ...recordKey(kind, record.accountId, record.id), recordKind: kind };
}

/** A filter on a page's records, applied by DynamoDB after the Query reads them. */
export interface StoredFilter {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Item;
}

/**
 * What every repository of one kind of account record does alike, at `pk = ACCOUNT#<account>`,
 * `sk = <KIND>#<id>`: conditional create, consistent get, updates that never move a record to
 * another id or account, and signed newest-first pages of the account's records.
 */
export abstract class DynamoAccountRecords<T extends AccountRecord> {
  protected readonly table: DynamoRecordTable;
  protected readonly cursors: CursorCodec;
  readonly #codec: Required<AccountRecordCodec<T>>;

  constructor(options: AccountRecordsOptions, codec: AccountRecordCodec<T>) {
    this.table = new DynamoRecordTable(options, codec.kind);
    this.cursors = new CursorCodec(options.cursorSigner);
    this.#codec = {
      kind: codec.kind,
      toItem: codec.toItem ?? ((record) => accountRecordItem(codec.kind, record)),
      fromItem: codec.fromItem ?? ((item) => recordAttributes(item) as T),
    };
  }

  async create(record: T, write: { readonly events?: readonly DomainEvent[] } = {}): Promise<void> {
    await this.table.create(this.#codec.toItem(record), record.id, write.events);
  }

  async get(accountId: string, id: string): Promise<T | null> {
    const item = await this.table.get(recordKey(this.#codec.kind, accountId, id));
    return item ? this.#codec.fromItem(item) : null;
  }

  /** Throws unless `next` is the same record as `current`: an update never re-keys one. */
  protected sameRecord(current: T, next: T): void {
    if (next.id !== current.id || next.accountId !== current.accountId) {
      throw new Error(
        `an update cannot change the id or account of ${this.#codec.kind} ${current.id}`,
      );
    }
  }

  /**
   * Writes what `next` changes from `current` while `condition` holds, with `events` in the same
   * transaction; ConcurrentModificationError naming `expected` when it does not.
   */
  protected async updateRecord(
    current: T,
    next: T,
    condition: Condition,
    expected: string,
    events?: readonly DomainEvent[],
  ): Promise<void> {
    this.sameRecord(current, next);
    await this.table.updateChanged(
      recordKey(this.#codec.kind, current.accountId, current.id),
      this.#codec.toItem(current),
      this.#codec.toItem(next),
      condition,
      { id: current.id, expected },
      events,
    );
  }

  /**
   * A newest-first page of the account's records that pass `filter` (in DynamoDB) and `matches`
   * (here), bound by its cursor to the list's name and `scopeFilters`.
   */
  protected async accountPage(
    list: string,
    accountId: string,
    page: PageRequest,
    select: {
      readonly filter?: StoredFilter;
      readonly scopeFilters?: Readonly<Record<string, string | null | undefined>>;
      readonly matches?: (record: T) => boolean;
    } = {},
  ): Promise<Page<T>> {
    const { kind, fromItem } = this.#codec;
    const scope = cursorScope(list, accountId, select.scopeFilters);
    const afterId = page.cursor
      ? this.cursors.decode(scope, page.cursor, (id) => isResourceId(kind, id))
      : null;
    const selected = await querySelectedPage(this.table, {
      kind,
      query: {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(select.filter
          ? {
              FilterExpression: select.filter.expression,
              ExpressionAttributeNames: select.filter.names,
            }
          : {}),
        ExpressionAttributeValues: {
          ...select.filter?.values,
          ':pk': accountPartition(accountId),
          ':prefix': sortKeyPrefix(kind),
        },
        ConsistentRead: true,
      },
      startKeyAfter: (id) => recordKey(kind, accountId, id),
      fromItem,
      matches: select.matches ?? (() => true),
      limit: page.limit,
      afterId,
    });
    return this.cursors.pageOf(scope, selected);
  }
}
