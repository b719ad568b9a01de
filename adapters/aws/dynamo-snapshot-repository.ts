import { CursorCodec, cursorScope } from '../../core/pagination/cursor-codec.ts';
import { type Page, type PageRequest, pageFrom } from '../../core/pagination/page.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { SnapshotFilter, SnapshotRepository } from '../../core/ports/snapshot-repository.ts';
import { isResourceId } from '../../core/shared/ids.ts';
import type { Snapshot } from '../../core/snapshots/snapshot.ts';
import { recordAttributes } from './dynamo-items.ts';
import {
  accountPartition,
  recordKey,
  sliceSnapshotsPartition,
  sortKeyPrefix,
  type TableKey,
} from './dynamo-keys.ts';
import {
  type Condition,
  DynamoRecordTable,
  type Item,
  type TableAccess,
} from './dynamo-record-table.ts';

/**
 * gsi2 holds the recycled snapshots of every account by purge time, and nothing else of theirs (a
 * sparse index). The keys are set while a snapshot is `recycled` and removed when it is recovered
 * or purged, so that the scheduled purge reads what has expired and never the table.
 */
const RECYCLED_PARTITION = 'SNAPSHOTS#RECYCLED';

function recycleBinSortKey(snapshot: Pick<Snapshot, 'purgeAt' | 'accountId' | 'id'>): string {
  return `${snapshot.purgeAt}#${snapshot.accountId}#${snapshot.id}`;
}

function toItem(snapshot: Snapshot): Item & TableKey {
  const key = recordKey('snapshot', snapshot.accountId, snapshot.id);
  // Deleted snapshots leave the per-slice index (sparse), as they leave every list.
  const sliceIndex =
    snapshot.status === 'deleted'
      ? {}
      : {
          gsi1pk: sliceSnapshotsPartition(snapshot.accountId, snapshot.sliceId),
          gsi1sk: snapshot.id,
        };
  const recycleBinIndex =
    snapshot.status === 'recycled' && snapshot.purgeAt !== null
      ? { gsi2pk: RECYCLED_PARTITION, gsi2sk: recycleBinSortKey(snapshot) }
      : {};
  return { ...snapshot, ...key, ...sliceIndex, ...recycleBinIndex, recordKind: 'snapshot' };
}

function fromItem(item: Item): Snapshot {
  const snapshot = recordAttributes(item) as Snapshot;
  // Records stored before snapshots had readers and deletions have neither.
  return {
    ...snapshot,
    readers: snapshot.readers ?? [],
    deletionOperationId: snapshot.deletionOperationId ?? null,
    captureInfo: snapshot.captureInfo ?? null,
    purgeAt: snapshot.purgeAt ?? null,
  };
}

/**
 * The state a write expects: the status, and the readers exactly as read, so that a deletion and a
 * reader that start at the same moment cannot both succeed (one of them reads again).
 */
function expectedState(snapshot: Snapshot): Condition {
  const names = { '#status': 'status', '#readers': 'readers' };
  if (snapshot.readers.length === 0) {
    return {
      expression:
        '#status = :expectedStatus AND (attribute_not_exists(#readers) OR size(#readers) = :noReaders)',
      names,
      values: { ':expectedStatus': snapshot.status, ':noReaders': 0 },
    };
  }
  return {
    expression: '#status = :expectedStatus AND #readers = :expectedReaders',
    names,
    values: { ':expectedStatus': snapshot.status, ':expectedReaders': snapshot.readers },
  };
}

/**
 * SnapshotRepository on the single table: `pk = ACCOUNT#<account>`, `sk = SNAPSHOT#<id>`; a
 * slice's snapshots also on gsi1 (`<account>#SLICE#<slice>#SNAPSHOTS`, id). Writes are conditional.
 */
export class DynamoSnapshotRepository implements SnapshotRepository {
  readonly #table: DynamoRecordTable;
  readonly #cursors: CursorCodec;

  constructor(options: TableAccess & { cursorSigner: Signer }) {
    this.#table = new DynamoRecordTable(options, 'snapshot');
    this.#cursors = new CursorCodec(options.cursorSigner);
  }

  async create(snapshot: Snapshot): Promise<void> {
    await this.#table.create(toItem(snapshot), snapshot.id);
  }

  async get(accountId: string, snapshotId: string): Promise<Snapshot | null> {
    const item = await this.#table.get(recordKey('snapshot', accountId, snapshotId));
    return item ? fromItem(item) : null;
  }

  async update(current: Snapshot, next: Snapshot, write: WriteEvents = {}): Promise<void> {
    if (next.id !== current.id || next.accountId !== current.accountId) {
      throw new Error("an update cannot change a snapshot's id or account");
    }
    await this.#table.updateChanged(
      recordKey('snapshot', current.accountId, current.id),
      toItem(current),
      toItem(next),
      expectedState(current),
      { id: current.id, expected: current.status },
      write.events,
    );
  }

  async list(
    accountId: string,
    filter: SnapshotFilter,
    page: PageRequest,
  ): Promise<Page<Snapshot>> {
    const region = filter.region ?? null;
    const sliceId = filter.sliceId ?? null;
    const status = filter.status ?? null;
    const scope = cursorScope('snapshots', accountId, {
      region,
      sliceId,
      ...(status === null ? {} : { status }),
    });
    const after = page.cursor
      ? this.#cursors.decode(scope, page.cursor, (id) => isResourceId('snapshot', id))
      : null;
    const names: Record<string, string> = { '#status': 'status' };
    const values: Item =
      status === null ? { ':deleted': 'deleted', ':recycled': 'recycled' } : { ':status': status };
    const filters =
      status === null ? ['#status <> :deleted', '#status <> :recycled'] : ['#status = :status'];
    if (region !== null) {
      names['#region'] = 'region';
      values[':region'] = region;
      filters.push('#region = :region');
    }
    const baseKey = after ? recordKey('snapshot', accountId, after) : undefined;
    const items = sliceId
      ? await this.#table.queryItems(
          {
            IndexName: 'gsi1',
            KeyConditionExpression: '#gsi1pk = :gsi1pk',
            FilterExpression: filters.join(' AND '),
            ExpressionAttributeNames: { ...names, '#gsi1pk': 'gsi1pk' },
            ExpressionAttributeValues: {
              ...values,
              ':gsi1pk': sliceSnapshotsPartition(accountId, sliceId),
            },
          },
          baseKey && {
            ...baseKey,
            gsi1pk: sliceSnapshotsPartition(accountId, sliceId),
            gsi1sk: after,
          },
          page.limit + 1,
        )
      : await this.#table.queryItems(
          {
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: filters.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ...values,
              ':pk': accountPartition(accountId),
              ':prefix': sortKeyPrefix('snapshot'),
            },
            ConsistentRead: true,
          },
          baseKey,
          page.limit + 1,
        );
    return pageFrom(items.map(fromItem), page.limit, (lastId) =>
      this.#cursors.encode(scope, lastId),
    );
  }

  async listExpired(
    before: string,
    limit: number,
    after: Snapshot | null = null,
  ): Promise<readonly Snapshot[]> {
    const items = await this.#table.queryItems(
      {
        IndexName: 'gsi2',
        // `$` follows `#`, so every key whose purge time is `before` itself sorts below the bound.
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :beyond',
        ExpressionAttributeValues: { ':pk': RECYCLED_PARTITION, ':beyond': `${before}$` },
      },
      after
        ? {
            ...recordKey('snapshot', after.accountId, after.id),
            gsi2pk: RECYCLED_PARTITION,
            gsi2sk: recycleBinSortKey(after),
          }
        : undefined,
      limit,
      'oldest-first',
    );
    // The index may trail the table by a moment, so a snapshot recovered just now is dropped.
    return items.map(fromItem).filter((snapshot) => snapshot.status === 'recycled');
  }
}
