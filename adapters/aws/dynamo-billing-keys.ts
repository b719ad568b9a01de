import type { BillingMonth } from '../../core/billing/billing-month.ts';
import { accountPartition, type TableKey } from './dynamo-keys.ts';

/**
 * Keys of the billing records in the single table.
 *
 * A usage record (one per billed snapshot) lives under its account, at `pk = ACCOUNT#<account>`,
 * `sk = USAGE#<snapshot>`. It is indexed twice, so that a month's records are read without a Scan.
 * - gsi1, per account by end: `gsi1pk = ACCOUNT#<account>#USAGE`, `gsi1sk = <to>#<snapshot>`, with
 *   `OPEN` for `<to>` while billed (sorting after every ISO time), so `gsi1sk >= <month start>`
 *   skips every record that ended before the month.
 * - gsi2, per partition and end-month bucket: `gsi2pk = USAGE#<YYYY-MM of to | OPEN>#<partition>`,
 *   `gsi2sk = <account>#<snapshot>`. A month's run reads the OPEN bucket (still billed, whenever
 *   they started: a snapshot kept for years is still found) and the buckets from the month to the
 *   current one; buckets of earlier months are never read. Within a bucket the records come
 *   grouped by account. Stopping billing moves the record from OPEN to its month (the index
 *   follows the update).
 *
 * Charges, under the account: the month's summary `sk = CHARGES#<YYYY-MM>` and, once final, one item
 * per line `sk = CHARGES#<YYYY-MM>#LINE#<snapshot>` (one query by prefix reads both).
 *
 * Month-end run progress: `pk = BILLING-RUN`, `sk = MONTH#<YYYY-MM>`.
 */
export const OPEN_BUCKET = 'OPEN';

export function usageKey(accountId: string, snapshotId: string): TableKey {
  return { pk: accountPartition(accountId), sk: `USAGE#${snapshotId}` };
}

export function accountUsagePartition(accountId: string): string {
  return `${accountPartition(accountId)}#USAGE`;
}

export function accountUsageSortKey(to: string | null, snapshotId: string): string {
  return `${to ?? OPEN_BUCKET}#${snapshotId}`;
}

export function usageBucketPartition(bucket: BillingMonth | typeof OPEN_BUCKET, partition: number) {
  return `USAGE#${bucket}#${String(partition).padStart(2, '0')}`;
}

export function usageBucketSortKey(accountId: string, snapshotId: string): string {
  return `${accountId}#${snapshotId}`;
}

export function chargesPrefix(month: BillingMonth): string {
  return `CHARGES#${month}`;
}

export function chargesSummaryKey(accountId: string, month: BillingMonth): TableKey {
  return { pk: accountPartition(accountId), sk: chargesPrefix(month) };
}

export function chargeLineKey(
  accountId: string,
  month: BillingMonth,
  snapshotId: string,
): TableKey {
  return { pk: accountPartition(accountId), sk: `${chargesPrefix(month)}#LINE#${snapshotId}` };
}

export function monthRunKey(month: BillingMonth): TableKey {
  return { pk: 'BILLING-RUN', sk: `MONTH#${month}` };
}
