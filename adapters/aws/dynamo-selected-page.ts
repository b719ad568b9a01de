import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { readSelectedPage, type SelectedPage } from '../../core/pagination/selected-page.ts';
import type { RecordKind } from '../../core/shared/persistence-errors.ts';
import { idOfKey } from './dynamo-keys.ts';
import type { DynamoRecordTable, Item } from './dynamo-record-table.ts';

/**
 * A page of the records a newest-first Query on one account's partition reads, those that
 * `matches` keeps, filled as the core's readSelectedPage says: one Query per batch, each reading
 * at most what is left of the page's examining budget (DynamoDB's `Limit` counts the items read
 * before the filter, and `ScannedCount` says how many that was).
 */
export async function querySelectedPage<T extends { readonly id: string }>(
  table: DynamoRecordTable,
  options: {
    readonly kind: RecordKind;
    readonly query: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;
    /** The query's ExclusiveStartKey that resumes after the record with this id. */
    readonly startKeyAfter: (id: string) => Item;
    readonly fromItem: (item: Item) => T;
    readonly matches: (record: T) => boolean;
    readonly limit: number;
    readonly afterId: string | null;
  },
): Promise<SelectedPage<T>> {
  return readSelectedPage({
    limit: options.limit,
    afterId: options.afterId,
    matches: options.matches,
    examine: async (afterId, max) => {
      const startKey = afterId === null ? undefined : options.startKeyAfter(afterId);
      const read = await table.queryOnce(options.query, startKey, max);
      const records = read.items.map(options.fromItem);
      const lastKey = read.lastEvaluatedKey;
      return {
        items: records,
        examined: read.examined,
        lastExaminedId: lastKey ? idOfKey(options.kind, lastKey) : (records.at(-1)?.id ?? null),
        exhausted: lastKey === undefined,
      };
    },
  });
}
