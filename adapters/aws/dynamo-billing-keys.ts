import type { BillingMonth } from '../../core/billing/billing-month.ts';
import { accountPartition, type TableKey } from './dynamo-keys.ts';

/**
 * Keys of the billing records in the single table.
 *
 * A usage record (one per billed period of a snapshot) lives under its account, at
 * `pk = ACCOUNT#<account>`: `sk = USAGE#<snapshot>` for the first period (from when it became
 * available), and `sk = USAGE#<snapshot>#<from>` for each later one (from a recovery out of the
 * recycle bin), so one query by prefix reads a snapshot's periods. It is indexed twice, so that a
 * month's records are read without a Scan.
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
 * Charges live under the account too: the month's summary at `sk = CHARGES#<YYYY-MM>` and, once
 * final, one item per line at `sk = CHARGES#<YYYY-MM>#LINE#<snapshot>`, or at
 * `…#LINE#<snapshot>#<from>` for a snapshot's second and later lines of the month. One query by
 * prefix reads them all.
 *
 * Month-end run progress: `pk = BILLING-RUN`, `sk = MONTH#<YYYY-MM>`.
 */
export const OPEN_BUCKET = 'OPEN';

/** Sort-key prefix of every usage record of a snapshot. */
export function snapshotUsagePrefix(snapshotId: string): string {
  return `USAGE#${snapshotId}`;
}

/** The usage record of a snapshot's first billed period, or of the later one from `from`. */
export function usageKey(accountId: string, snapshotId: string, from?: string): TableKey {
  const prefix = snapshotUsagePrefix(snapshotId);
  return { pk: accountPartition(accountId), sk: from === undefined ? prefix : `${prefix}#${from}` };
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

/** A charge line: the snapshot's first of the month, or the later one from `from`. */
export function chargeLineKey(
  accountId: string,
  month: BillingMonth,
  snapshotId: string,
  from?: string,
): TableKey {
  const sk = `${chargesPrefix(month)}#LINE#${snapshotId}`;
  return { pk: accountPartition(accountId), sk: from === undefined ? sk : `${sk}#${from}` };
}

export function monthRunKey(month: BillingMonth): TableKey {
  return { pk: 'BILLING-RUN', sk: `MONTH#${month}` };
}
