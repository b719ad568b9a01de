import type { StorageRepository, SweepClaim } from '../../core/ports/storage-repository.ts';
import type {
  AccountStorage,
  SliceStorage,
  SnapshotStorage,
} from '../../core/storage/account-storage.ts';
import { accountPartition, type TableKey } from './dynamo-keys.ts';
import { cancellationReasons, SingleTable, type TableAccess } from './dynamo-record-table.ts';

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
  readonly #table: SingleTable;

  constructor(access: TableAccess) {
    this.#table = new SingleTable(access);
  }

  async get(accountId: string): Promise<AccountStorage | null> {
    const item = await this.#table.get(figuresKey(accountId));
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
    return this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPartition(accountId), ':prefix': PART_PREFIX },
      ConsistentRead: true,
    });
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
    const previous = await this.#table.get(figuresKey(storage.accountId), 'parts');
    const leftOver = Math.max(0, Number(previous?.parts ?? 0) - parts.length);
    try {
      await this.#table.transact([
        {
          Put: {
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
            Key: partKey(storage.accountId, parts.length + index),
          },
        })),
      ]);
    } catch (error) {
      // A pass that began later stored its figures first: they stay.
      if (cancellationReasons(error)?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
    }
  }

  async requestMark(accountId: string, now: string, until: string): Promise<boolean> {
    return this.#table.update({
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
    });
  }

  async markBegun(accountId: string): Promise<void> {
    await this.#table.update({
      Key: requestKey(accountId),
      UpdateExpression: 'REMOVE pendingUntil',
    });
  }

  async claimSweep({ accountId, markId, now, until }: SweepClaim): Promise<boolean> {
    return this.#table.update({
      Key: requestKey(accountId),
      UpdateExpression: 'SET sweeper = :mark, sweeperUntil = :until',
      ConditionExpression:
        'attribute_not_exists(sweeper) OR sweeper = :mark OR sweeperUntil <= :now',
      ExpressionAttributeValues: { ':mark': markId, ':until': until, ':now': now },
    });
  }

  async releaseSweep(accountId: string, markId: string): Promise<void> {
    // Refused when another pass holds the sweep now: then it is not this pass's to release.
    await this.#table.update({
      Key: requestKey(accountId),
      UpdateExpression: 'REMOVE sweeper, sweeperUntil',
      ConditionExpression: 'sweeper = :mark',
      ExpressionAttributeValues: { ':mark': markId },
    });
  }

  async listAccounts(limit: number, after: string | null = null): Promise<readonly string[]> {
    const { items } = await this.#table.queryPage({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :index AND gsi2sk > :after',
      ExpressionAttributeValues: { ':index': MARKED_ACCOUNTS_PARTITION, ':after': after ?? '' },
      Limit: limit,
    });
    return items.map((item) => String(item.gsi2sk));
  }
}
