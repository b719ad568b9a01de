import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StorageRepository } from '../../core/ports/storage-repository.ts';
import type {
  AccountStorage,
  SliceStorage,
  SnapshotStorage,
} from '../../core/storage/account-storage.ts';
import { accountPartition, type TableKey } from './dynamo-keys.ts';
import type { TableAccess } from './dynamo-record-table.ts';

/**
 * gsi2 holds one key per account that ever asked for a mark pass, and nothing else of theirs (a
 * sparse index), so that the scheduled pass goes through them without reading the table.
 */
const MARKED_ACCOUNTS_PARTITION = 'STORAGE#ACCOUNTS';

/** The key of an account's storage figures, beside its other records. */
function figuresKey(accountId: string): TableKey {
  return { pk: accountPartition(accountId), sk: 'STORAGE' };
}

/** Where the parts of the figures' snapshots are: `STORAGE#PART#0000`, `…0001`, … */
const PART_PREFIX = 'STORAGE#PART#';

/**
 * Snapshots' figures per part item: about 60 bytes each, so a part stays near 240 KB, within an
 * item's 400 KB, and a save of 16 parts within a transaction's 4 MB: 64,000 snapshots an account.
 */
const SNAPSHOTS_PER_PART = 4_000;

function partKey(accountId: string, part: number): TableKey {
  return { pk: accountPartition(accountId), sk: `${PART_PREFIX}${String(part).padStart(4, '0')}` };
}

/** The key of an account's pending mark request and its place in the index of marked accounts. */
function requestKey(accountId: string): TableKey {
  return { pk: accountPartition(accountId), sk: 'STORAGE-MARK' };
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Snapshots' figures as stored: `[storedBytes, exclusiveBytes]` by id, a part at a time. */
type StoredSnapshots = Record<string, [number, number]>;

function toStoredSnapshots(snapshots: Readonly<Record<string, SnapshotStorage>>): StoredSnapshots {
  const stored: StoredSnapshots = {};
  for (const [id, figures] of Object.entries(snapshots)) {
    stored[id] = [figures.storedBytes, figures.exclusiveBytes];
  }
  return stored;
}

function fromStoredSnapshots(stored: StoredSnapshots): Record<string, SnapshotStorage> {
  const snapshots: Record<string, SnapshotStorage> = {};
  for (const [id, [storedBytes, exclusiveBytes]] of Object.entries(stored)) {
    snapshots[id] = { storedBytes: Number(storedBytes), exclusiveBytes: Number(exclusiveBytes) };
  }
  return snapshots;
}

/**
 * StorageRepository on the single table: the figures at `pk = ACCOUNT#<account>`, `sk = STORAGE`,
 * the pending request at `sk = STORAGE-MARK` (also on gsi2, `STORAGE#ACCOUNTS`, by account id).
 */
export class DynamoStorageRepository implements StorageRepository {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(access: TableAccess) {
    this.#client = access.client;
    this.#tableName = access.tableName;
  }

  async get(accountId: string): Promise<AccountStorage | null> {
    const { Item: item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: figuresKey(accountId),
        ConsistentRead: true,
      }),
    );
    if (!item) return null;
    const asOf = String(item.asOf);
    const stored: StoredSnapshots = { ...((item.snapshots ?? {}) as StoredSnapshots) };
    if (Number(item.parts ?? 0) > 0) {
      for (const part of await this.#parts(accountId)) {
        // A part a later save is writing, or one left from an earlier save, is not these figures'.
        if (part.asOf === asOf) Object.assign(stored, part.snapshots as StoredSnapshots);
      }
    }
    return {
      accountId,
      asOf,
      logicalBytes: Number(item.logicalBytes),
      storedBytes: Number(item.storedBytes),
      billedBytes: Number(item.billedBytes),
      snapshots: fromStoredSnapshots(stored),
      bySlice: ((item.bySlice ?? []) as SliceStorage[]).map((line) => ({
        sliceId: String(line.sliceId),
        snapshots: Number(line.snapshots),
        logicalBytes: Number(line.logicalBytes),
        billedBytes: Number(line.billedBytes),
        exclusiveBytes: Number(line.exclusiveBytes),
      })),
    };
  }

  async #parts(accountId: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': accountPartition(accountId), ':prefix': PART_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * The figures, then the snapshots' figures in parts of SNAPSHOTS_PER_PART, in one transaction
   * guarded by the figures' `asOf` (a pass that began later and saved first keeps its figures),
   * with the parts an earlier, larger save left deleted.
   */
  async save(storage: AccountStorage): Promise<void> {
    const entries = Object.entries(toStoredSnapshots(storage.snapshots));
    const parts: StoredSnapshots[] = [];
    for (let start = 0; start < entries.length; start += SNAPSHOTS_PER_PART) {
      parts.push(Object.fromEntries(entries.slice(start, start + SNAPSHOTS_PER_PART)));
    }
    const { Item: previous } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: figuresKey(storage.accountId),
        ProjectionExpression: 'parts',
        ConsistentRead: true,
      }),
    );
    const leftOver = Math.max(0, Number(previous?.parts ?? 0) - parts.length);
    try {
      await this.#client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#tableName,
                Item: {
                  ...figuresKey(storage.accountId),
                  recordKind: 'storage',
                  asOf: storage.asOf,
                  logicalBytes: storage.logicalBytes,
                  storedBytes: storage.storedBytes,
                  billedBytes: storage.billedBytes,
                  parts: parts.length,
                  bySlice: storage.bySlice,
                },
                ConditionExpression: 'attribute_not_exists(asOf) OR asOf <= :asOf',
                ExpressionAttributeValues: { ':asOf': storage.asOf },
              },
            },
            ...parts.map((snapshots, part) => ({
              Put: {
                TableName: this.#tableName,
                Item: {
                  ...partKey(storage.accountId, part),
                  recordKind: 'storage-part',
                  asOf: storage.asOf,
                  snapshots,
                },
              },
            })),
            ...Array.from({ length: leftOver }, (_, index) => ({
              Delete: {
                TableName: this.#tableName,
                Key: partKey(storage.accountId, parts.length + index),
              },
            })),
          ],
        }),
      );
    } catch (error) {
      // A pass that began later stored its figures first: they stay.
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
    }
  }

  async requestMark(accountId: string, now: string, until: string): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: requestKey(accountId),
          UpdateExpression:
            'SET pendingUntil = :until, recordKind = :kind, gsi2pk = :index, gsi2sk = :account',
          ConditionExpression: 'attribute_not_exists(pendingUntil) OR pendingUntil <= :now',
          ExpressionAttributeValues: {
            ':until': until,
            ':now': now,
            ':kind': 'storage-mark',
            ':index': MARKED_ACCOUNTS_PARTITION,
            ':account': accountId,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markBegun(accountId: string): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: requestKey(accountId),
        UpdateExpression: 'REMOVE pendingUntil',
      }),
    );
  }

  async claimSweep(
    accountId: string,
    markId: string,
    now: string,
    until: string,
  ): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: requestKey(accountId),
          UpdateExpression: 'SET sweeper = :mark, sweeperUntil = :until',
          ConditionExpression:
            'attribute_not_exists(sweeper) OR sweeper = :mark OR sweeperUntil <= :now',
          ExpressionAttributeValues: { ':mark': markId, ':until': until, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async releaseSweep(accountId: string, markId: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: requestKey(accountId),
          UpdateExpression: 'REMOVE sweeper, sweeperUntil',
          ConditionExpression: 'sweeper = :mark',
          ExpressionAttributeValues: { ':mark': markId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async listAccounts(limit: number, after: string | null = null): Promise<readonly string[]> {
    const { Items: items = [] } = await this.#client.send(
      new QueryCommand({
        TableName: this.#tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :index AND gsi2sk > :after',
        ExpressionAttributeValues: { ':index': MARKED_ACCOUNTS_PARTITION, ':after': after ?? '' },
        Limit: limit,
      }),
    );
    return items.map((item) => String(item.gsi2sk));
  }
}
