import { selectedBy } from '../../core/labels/label-selector.ts';
import { NO_LABELS, sameLabels } from '../../core/labels/labels.ts';
import { cursorScope } from '../../core/pagination/cursor-codec.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import type { SnapshotFilter, SnapshotRepository } from '../../core/ports/snapshot-repository.ts';
import { isResourceId } from '../../core/shared/ids.ts';
import { type Snapshot, unverifiedSince } from '../../core/snapshots/snapshot.ts';
import { snapshotListScope } from '../../core/snapshots/snapshot-list-scope.ts';
import { type AccountRecordsOptions, DynamoAccountRecords } from './dynamo-account-records.ts';
import { type ConditionParts, expectFlag, expectLabels } from './dynamo-expected-attributes.ts';
import { recordAttributes } from './dynamo-items.ts';
import {
  accountPartition,
  recordKey,
  sliceSnapshotsPartition,
  sortKeyPrefix,
  type TableKey,
} from './dynamo-keys.ts';
import type { Condition, Item } from './dynamo-record-table.ts';
import { querySelectedPage } from './dynamo-selected-page.ts';

/**
 * gsi2 holds the recycled snapshots of every account by purge time, and nothing else of theirs (a
 * sparse index). The keys are set while a snapshot is `recycled` and removed when it is recovered
 * or purged, so that the scheduled purge reads what has expired and never the table.
 */
const RECYCLED_PARTITION = 'SNAPSHOTS#RECYCLED';

/**
 * The same index holds the available snapshots of every account by the time they were last
 * verified (or taken), so that the scheduled verification reads those longest unchecked. A
 * snapshot is in one of the two partitions at most: available and recycled never overlap.
 */
const VERIFY_PARTITION = 'SNAPSHOTS#AVAILABLE';

function verifySortKey(snapshot: Pick<Snapshot, 'verifiedAt' | 'createdAt' | 'accountId' | 'id'>) {
  return `${unverifiedSince(snapshot)}#${snapshot.accountId}#${snapshot.id}`;
}

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
      : snapshot.status === 'available'
        ? { gsi2pk: VERIFY_PARTITION, gsi2sk: verifySortKey(snapshot) }
        : {};
  return { ...snapshot, ...key, ...sliceIndex, ...recycleBinIndex, recordKind: 'snapshot' };
}

function fromItem(item: Item): Snapshot {
  const snapshot = recordAttributes(item) as Snapshot;
  // Records stored before snapshots had readers, deletions, labels, protection, policies or
  // verifications have none.
  return {
    ...snapshot,
    readers: snapshot.readers ?? [],
    deletionOperationId: snapshot.deletionOperationId ?? null,
    captureInfo: snapshot.captureInfo ?? null,
    labels: snapshot.labels ?? NO_LABELS,
    protected: snapshot.protected ?? false,
    purgeAt: snapshot.purgeAt ?? null,
    policyId: snapshot.policyId ?? null,
    verifyState: snapshot.verifyState ?? 'unverified',
    verifiedAt: snapshot.verifiedAt ?? null,
  };
}

/**
 * The state a write expects: the status, and the readers exactly as read, so that a deletion and a
 * reader that start at the same moment cannot both succeed (one of them reads again). A write that
 * moves the status or the protection also expects the protection as read, so that no deletion
 * passes a protection set meanwhile; a write that changes the labels expects them as read, so
 * that two merges never lose each other's keys. Records stored before labels and protection
 * existed have neither attribute: that reads as no labels and unprotected.
 */
function expectedState(current: Snapshot, next: Snapshot): Condition {
  const names: Record<string, string> = { '#status': 'status', '#readers': 'readers' };
  const values: Item = { ':expectedStatus': current.status };
  const parts = ['#status = :expectedStatus'];
  if (current.readers.length === 0) {
    parts.push('(attribute_not_exists(#readers) OR size(#readers) = :noReaders)');
    values[':noReaders'] = 0;
  } else {
    parts.push('#readers = :expectedReaders');
    values[':expectedReaders'] = current.readers;
  }
  const expected: ConditionParts = { names, values, parts };
  if (next.status !== current.status || next.protected !== current.protected) {
    expectFlag(expected, 'protected', current.protected);
  }
  if (!sameLabels(current.labels, next.labels)) expectLabels(expected, current.labels);
  return { expression: parts.join(' AND '), names, values };
}

/**
 * SnapshotRepository on the single table: `pk = ACCOUNT#<account>`, `sk = SNAPSHOT#<id>`; a
 * slice's snapshots also on gsi1 (`<account>#SLICE#<slice>#SNAPSHOTS`, id). Writes are conditional.
 */
export class DynamoSnapshotRepository
  extends DynamoAccountRecords<Snapshot>
  implements SnapshotRepository
{
  constructor(options: AccountRecordsOptions) {
    super(options, { kind: 'snapshot', toItem, fromItem });
  }

  async update(current: Snapshot, next: Snapshot, write: WriteEvents = {}): Promise<void> {
    await this.updateRecord(
      current,
      next,
      expectedState(current, next),
      current.status,
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
    const scope = cursorScope('snapshots', accountId, snapshotListScope(filter));
    const afterId = page.cursor
      ? this.cursors.decode(scope, page.cursor, (id) => isResourceId('snapshot', id))
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
    // Both queries stay inside the account: its partition, or its slice's partition of gsi1.
    const bySlice = sliceId !== null;
    const slicePartition = bySlice ? sliceSnapshotsPartition(accountId, sliceId) : '';
    const selected = await querySelectedPage(this.table, {
      kind: 'snapshot',
      query: bySlice
        ? {
            IndexName: 'gsi1',
            KeyConditionExpression: '#gsi1pk = :gsi1pk',
            FilterExpression: filters.join(' AND '),
            ExpressionAttributeNames: { ...names, '#gsi1pk': 'gsi1pk' },
            ExpressionAttributeValues: { ...values, ':gsi1pk': slicePartition },
          }
        : {
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
      startKeyAfter: (id) => ({
        ...recordKey('snapshot', accountId, id),
        ...(bySlice ? { gsi1pk: slicePartition, gsi1sk: id } : {}),
      }),
      fromItem,
      matches: selectedBy(filter.labelSelector),
      limit: page.limit,
      afterId,
    });
    return this.cursors.pageOf(scope, selected);
  }

  async listExpired(
    before: string,
    limit: number,
    after: Snapshot | null = null,
  ): Promise<readonly Snapshot[]> {
    const items = await this.table.queryItems(
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

  async listDueForVerification(before: string, limit: number): Promise<readonly Snapshot[]> {
    const items = await this.table.queryItems(
      {
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :beyond',
        ExpressionAttributeValues: { ':pk': VERIFY_PARTITION, ':beyond': `${before}$` },
      },
      undefined,
      limit,
      'oldest-first',
    );
    return items.map(fromItem).filter((snapshot) => snapshot.status === 'available');
  }
}
