import {
  type BillingMonth,
  isoOfSecond,
  monthOf,
  monthPeriod,
  monthsBetween,
} from '../../core/billing/billing-month.ts';
import { billingPartitionOf } from '../../core/billing/partitions.ts';
import { type AccountUsage, type BilledUsage, compareUsage } from '../../core/billing/usage.ts';
import type { UsageRepository } from '../../core/ports/usage-repository.ts';
import {
  accountUsagePartition,
  accountUsageSortKey,
  OPEN_BUCKET,
  snapshotUsagePrefix,
  usageBucketPartition,
  usageBucketSortKey,
  usageKey,
} from './dynamo-billing-keys.ts';
import { type Item, SingleTable, type TableAccess } from './dynamo-record-table.ts';

function bucketOf(to: string | null): string {
  return to === null ? OPEN_BUCKET : monthOf(to);
}

/** The item of a billed period, the snapshot's first or a later one keyed by its start. */
function toItem(usage: BilledUsage, period: 'first' | 'later'): Item {
  const partition = billingPartitionOf(usage.accountId);
  return {
    ...usageKey(usage.accountId, usage.snapshotId, period === 'first' ? undefined : usage.from),
    recordKind: 'usage',
    accountId: usage.accountId,
    snapshotId: usage.snapshotId,
    name: usage.name,
    sizeBytes: usage.sizeBytes,
    from: usage.from,
    ...(usage.to === null ? {} : { to: usage.to }),
    gsi1pk: accountUsagePartition(usage.accountId),
    gsi1sk: accountUsageSortKey(usage.to, usage.snapshotId),
    gsi2pk: usageBucketPartition(bucketOf(usage.to), partition),
    gsi2sk: usageBucketSortKey(usage.accountId, usage.snapshotId),
  };
}

function fromItem(item: Item): BilledUsage {
  return {
    accountId: item.accountId as string,
    snapshotId: item.snapshotId as string,
    name: item.name as string,
    sizeBytes: Number(item.sizeBytes),
    from: item.from as string,
    to: typeof item.to === 'string' ? item.to : null,
  };
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * UsageRepository on the single table (keys in dynamo-billing-keys.ts). Reads are index Queries,
 * never a Scan; both indexes are eventually consistent, which billing runs hours after the facts
 * tolerate. Writes are conditional: the first start, a period's first resume and the first stop
 * win.
 */
export class DynamoUsageRepository implements UsageRepository {
  readonly #table: SingleTable;

  constructor(access: TableAccess) {
    this.#table = new SingleTable(access);
  }

  async start(usage: BilledUsage): Promise<void> {
    await this.#putOnce(toItem({ ...usage, from: new Date(usage.from).toISOString() }, 'first'));
  }

  async resume(usage: BilledUsage): Promise<void> {
    const from = new Date(usage.from).toISOString();
    await this.#putOnce(toItem({ ...usage, from, to: null }, 'later'));
  }

  async #putOnce(item: Item): Promise<void> {
    await this.#table.put({ Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async stop(accountId: string, snapshotId: string, at: string): Promise<void> {
    const to = new Date(at).toISOString();
    // A snapshot has few periods (one, and one more per recovery), so all are read, consistently.
    const open = await this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_not_exists(#to) AND #from <= :to',
      ExpressionAttributeNames: { '#to': 'to', '#from': 'from' },
      ExpressionAttributeValues: {
        ':pk': usageKey(accountId, snapshotId).pk,
        ':prefix': snapshotUsagePrefix(snapshotId),
        ':to': to,
      },
      ConsistentRead: true,
    });
    for (const item of open) {
      // A refusal means that another stop came first, and the first stop wins.
      await this.#table.update({
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #to = :to, gsi1sk = :gsi1sk, gsi2pk = :gsi2pk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#to)',
        ExpressionAttributeNames: { '#to': 'to' },
        ExpressionAttributeValues: {
          ':to': to,
          ':gsi1sk': accountUsageSortKey(to, snapshotId),
          ':gsi2pk': usageBucketPartition(bucketOf(to), billingPartitionOf(accountId)),
        },
      });
    }
  }

  async forAccount(accountId: string, month: BillingMonth): Promise<readonly BilledUsage[]> {
    const { start, end } = this.#bounds(month);
    const items = await this.#table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :start',
      FilterExpression: '#from < :end AND (attribute_not_exists(#to) OR #to > :start)',
      ExpressionAttributeNames: { '#from': 'from', '#to': 'to' },
      ExpressionAttributeValues: {
        ':pk': accountUsagePartition(accountId),
        ':start': start,
        ':end': end,
      },
    });
    return items.map(fromItem).sort(compareUsage);
  }

  async forPartition(
    partition: number,
    month: BillingMonth,
    through: BillingMonth,
  ): Promise<readonly AccountUsage[]> {
    const { start, end } = this.#bounds(month);
    const buckets = [OPEN_BUCKET, ...monthsBetween(month, through)];
    const pages = await Promise.all(
      buckets.map((bucket) =>
        this.#table.queryAll({
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          FilterExpression: '#from < :end AND (attribute_not_exists(#to) OR #to > :start)',
          ExpressionAttributeNames: { '#from': 'from', '#to': 'to' },
          ExpressionAttributeValues: {
            ':pk': usageBucketPartition(bucket, partition),
            ':start': start,
            ':end': end,
          },
        }),
      ),
    );
    const byAccount = new Map<string, BilledUsage[]>();
    for (const item of pages.flat()) {
      const usage = fromItem(item);
      const list = byAccount.get(usage.accountId);
      if (list) list.push(usage);
      else byAccount.set(usage.accountId, [usage]);
    }
    return [...byAccount.entries()]
      .sort(([a], [b]) => byId(a, b))
      .map(([accountId, usage]) => ({
        accountId,
        usage: usage.sort(compareUsage),
      }));
  }

  #bounds(month: BillingMonth): { start: string; end: string } {
    const period = monthPeriod(month);
    return { start: isoOfSecond(period.startSecond), end: isoOfSecond(period.endSecond) };
  }
}
