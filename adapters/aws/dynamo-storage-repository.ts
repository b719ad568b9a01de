import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
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

/** The key of an account's pending mark request and its place in the index of marked accounts. */
function requestKey(accountId: string): TableKey {
  return { pk: accountPartition(accountId), sk: 'STORAGE-MARK' };
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Snapshots' figures as stored: `[storedBytes, exclusiveBytes]` by id, which keeps an account of
 * several thousand snapshots within an item's 400 KB.
 */
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
    return {
      accountId,
      asOf: String(item.asOf),
      logicalBytes: Number(item.logicalBytes),
      storedBytes: Number(item.storedBytes),
      billedBytes: Number(item.billedBytes),
      snapshots: fromStoredSnapshots((item.snapshots ?? {}) as StoredSnapshots),
      bySlice: ((item.bySlice ?? []) as SliceStorage[]).map((line) => ({
        sliceId: String(line.sliceId),
        snapshots: Number(line.snapshots),
        logicalBytes: Number(line.logicalBytes),
        billedBytes: Number(line.billedBytes),
        exclusiveBytes: Number(line.exclusiveBytes),
      })),
    };
  }

  async save(storage: AccountStorage): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...figuresKey(storage.accountId),
            recordKind: 'storage',
            asOf: storage.asOf,
            logicalBytes: storage.logicalBytes,
            storedBytes: storage.storedBytes,
            billedBytes: storage.billedBytes,
            snapshots: toStoredSnapshots(storage.snapshots),
            bySlice: storage.bySlice,
          },
          ConditionExpression: 'attribute_not_exists(asOf) OR asOf <= :asOf',
          ExpressionAttributeValues: { ':asOf': storage.asOf },
        }),
      );
    } catch (error) {
      // A pass that began later stored its figures first: they stay.
      if (!isConditionFailure(error)) throw error;
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
