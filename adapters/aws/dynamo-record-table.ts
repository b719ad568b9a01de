import {
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../core/events/event-types.ts';
import {
  ConcurrentModificationError,
  RecordAlreadyExistsError,
  type RecordKind,
} from '../../core/shared/persistence-errors.ts';
import type { TableKey } from './dynamo-keys.ts';
import { outboxPuts } from './dynamo-outbox.ts';
import { namedWrite, type TableWrite, type Unnamed } from './dynamo-table-writes.ts';

/** An attribute value as the DocumentClient takes it (plain JavaScript values). */
export type NativeAttributeValue = NonNullable<PutCommandInput['Item']>[string];

/** A stored item, as the DocumentClient reads and writes it. */
export type Item = Record<string, NativeAttributeValue>;

/** A condition expression with the names and values it uses. */
export interface Condition {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, NativeAttributeValue>;
}

/** What a repository needs to reach the table. The client is built once, by the composition root. */
export interface TableAccess {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** True when DynamoDB refused a write because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The reasons of a cancelled transaction, an item each, or null when it was not cancelled. */
export function cancellationReasons(error: unknown): readonly { Code?: string }[] | null {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return null;
  return (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The one table as every adapter reaches it: its name filled into each request, reads consistent,
 * and a refused condition returned as `false` to callers that take refusal as an answer.
 */
export class SingleTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;

  constructor(access: TableAccess) {
    this.client = access.client;
    this.tableName = access.tableName;
  }

  /**
   * The item, read consistently (read-decide-write steps must see the latest write), or null;
   * only the attributes of `projection` when one is given.
   */
  async get(key: TableKey, projection?: string): Promise<Item | null> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: projection,
      }),
    );
    return item ?? null;
  }

  /** Puts the item; false when its condition did not hold (then nothing was written). */
  async put(input: Unnamed<PutCommandInput>): Promise<boolean> {
    return this.#unlessRefused(() =>
      this.client.send(new PutCommand({ ...input, TableName: this.tableName })),
    );
  }

  /** Updates the item; false when its condition did not hold (then nothing was written). */
  async update(input: Unnamed<UpdateCommandInput>): Promise<boolean> {
    return this.#unlessRefused(() =>
      this.client.send(new UpdateCommand({ ...input, TableName: this.tableName })),
    );
  }

  /** Deletes the item; false when its condition did not hold (then it is still there). */
  async delete(input: Unnamed<DeleteCommandInput>): Promise<boolean> {
    return this.#unlessRefused(() =>
      this.client.send(new DeleteCommand({ ...input, TableName: this.tableName })),
    );
  }

  /** One page of a Query: its items and the key to go on from (absent at the end). */
  async queryPage(
    input: Unnamed<QueryCommandInput>,
  ): Promise<{ items: Item[]; lastEvaluatedKey: Item | undefined }> {
    const page = await this.client.send(new QueryCommand({ ...input, TableName: this.tableName }));
    return { items: page.Items ?? [], lastEvaluatedKey: page.LastEvaluatedKey };
  }

  /** Every item of a Query, following its pages. */
  async queryAll(input: Unnamed<QueryCommandInput>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.queryPage({ ...input, ExclusiveStartKey: startKey });
      items.push(...page.items);
      startKey = page.lastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Writes all of `writes` or none of them (TransactWriteItems), each on this table. */
  async transact(writes: readonly TableWrite[]): Promise<void> {
    const items = writes.map((write) => namedWrite(this.tableName, write));
    await this.client.send(new TransactWriteCommand({ TransactItems: items }));
  }

  async #unlessRefused(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/**
 * The single-table operations the record repositories share: conditional create, the conditional
 * write of only what changed, and newest-first queries filled up to a page.
 */
export class DynamoRecordTable extends SingleTable {
  readonly #kind: RecordKind;

  constructor(access: TableAccess, kind: RecordKind) {
    super(access);
    this.#kind = kind;
  }

  /**
   * Puts a new item, and its `events` in the outbox in the same transaction; RecordAlreadyExistsError
   * when an item with its key exists (then no event is written either).
   */
  async create(
    item: Item & TableKey,
    id: string,
    events: readonly DomainEvent[] = [],
  ): Promise<void> {
    await this.#write(
      {
        Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
      },
      events,
      () => new RecordAlreadyExistsError(this.#kind, id),
    );
  }

  /**
   * One conditional write, alone or with the outbox items of its events in one transaction.
   * `refused()` is thrown when the write's own condition fails. An event already in the outbox (a
   * retried step wrote it with an earlier change) is left out and the write tried again.
   */
  async #write(
    write: Extract<TableWrite, { Put: unknown } | { Update: unknown }>,
    events: readonly DomainEvent[],
    refused: () => Error,
  ): Promise<void> {
    let pending = events;
    for (;;) {
      if (pending.length === 0) {
        const written =
          'Put' in write ? await this.put(write.Put) : await this.update(write.Update);
        if (!written) throw refused();
        return;
      }
      try {
        const nowSeconds = Math.floor(Date.now() / 1000);
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [write, ...outboxPuts(pending, nowSeconds)].map((each) =>
              namedWrite(this.tableName, each),
            ),
          }),
        );
        return;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons === null) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw refused();
        const told = pending.filter(
          (_, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed',
        );
        if (told.length === 0) throw error;
        pending = pending.filter((event) => !told.includes(event));
      }
    }
  }

  /**
   * Writes the attributes in which `next` differs from `current` (set or removed) under
   * `condition`, with `events` in the outbox in the same transaction; ConcurrentModificationError
   * when the condition fails (then no event is written either).
   */
  async updateChanged(
    key: TableKey,
    current: Item,
    next: Item,
    condition: Condition,
    describe: { id: string; expected: string },
    events: readonly DomainEvent[] = [],
  ): Promise<void> {
    const names: Record<string, string> = { ...condition.names };
    const values: Record<string, NativeAttributeValue> = { ...condition.values };
    const sets: string[] = [];
    const removes: string[] = [];
    const fields = new Set([...Object.keys(current), ...Object.keys(next)]);
    let index = 0;
    for (const field of fields) {
      if (field === 'pk' || field === 'sk' || sameValue(current[field], next[field])) continue;
      const name = `#u${index}`;
      names[name] = field;
      if (next[field] === undefined) {
        removes.push(name);
      } else {
        values[`:u${index}`] = next[field];
        sets.push(`${name} = :u${index}`);
      }
      index += 1;
    }
    if (sets.length === 0 && removes.length === 0) {
      // Nothing changed, but the caller still learns whether its expectation holds.
      names['#u_same'] = 'updatedAt';
      values[':u_same'] = next.updatedAt;
      sets.push('#u_same = :u_same');
    }
    const update = [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    await this.#write(
      {
        Update: {
          Key: key,
          UpdateExpression: update,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      events,
      () => new ConcurrentModificationError(this.#kind, describe.id, describe.expected),
    );
  }

  /**
   * One newest-first Query reading at most `max` items (its filter applied after): the items kept,
   * how many were read, and the key to go on from (absent at the end). Never a Scan.
   */
  async queryOnce(
    query: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    startKey: Item | undefined,
    max: number,
  ): Promise<{ items: Item[]; examined: number; lastEvaluatedKey: Item | undefined }> {
    const page = await this.client.send(
      new QueryCommand({
        ...query,
        TableName: this.tableName,
        ScanIndexForward: false,
        Limit: max,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = page.Items ?? [];
    return {
      items,
      examined: page.ScannedCount ?? items.length,
      lastEvaluatedKey: page.LastEvaluatedKey,
    };
  }

  /**
   * Up to `count` items of a newest-first (or oldest-first) query, following DynamoDB's pages while
   * a filter leaves a page short. Never a Scan: every read is a Query on one partition.
   */
  async queryItems(
    query: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    startKey: Item | undefined,
    count: number,
    order: 'newest-first' | 'oldest-first' = 'newest-first',
  ): Promise<Item[]> {
    const items: Item[] = [];
    let exclusiveStartKey = startKey;
    do {
      const page = await this.client.send(
        new QueryCommand({
          ...query,
          TableName: this.tableName,
          ScanIndexForward: order === 'oldest-first',
          Limit: count,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey && items.length < count);
    return items.slice(0, count);
  }
}
