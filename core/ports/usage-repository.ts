import type { BillingMonth } from '../billing/billing-month.ts';
import type { AccountUsage, BilledUsage } from '../billing/usage.ts';

/**
 * The usage records billing is computed from, indexed so that a month's records are read without a
 * table Scan: per account, and per partition of accounts. A snapshot has one record per period it
 * was billed: the first from when it became available, and one more each time it came back out of
 * the recycle bin. "Overlapping a month" means some of `[from, to)` falls in the month (UTC,
 * half-open).
 */
export interface UsageRepository {
  /**
   * Stores the first record of a snapshot that became available (a conditional put). Starting it
   * again changes nothing, whatever the record says: the first start is the one billed.
   */
  start(usage: BilledUsage): Promise<void>;

  /**
   * Stores a later billing period of the snapshot, from `usage.from`, when it was recovered from
   * the recycle bin. The same period again (same snapshot and `from`) changes nothing.
   */
  resume(usage: BilledUsage): Promise<void>;

  /**
   * Stops the snapshot's open period at `at` (an ISO time), once. The first stop wins and a later
   * one changes nothing, nor does a stop dated before the open period began, as a retried stop of
   * an earlier period is. Nothing happens for a snapshot that is not billed now, because it failed,
   * never became available, or is stopped already.
   */
  stop(accountId: string, snapshotId: string, at: string): Promise<void>;

  /**
   * The account's records overlapping `month`, ordered by snapshot id, then start. Reads through
   * an index by account and end time: records that ended before the month are not read.
   */
  forAccount(accountId: string, month: BillingMonth): Promise<readonly BilledUsage[]>;

  /**
   * The records overlapping `month` of every account in billing partition `partition`, grouped by
   * account (ordered by account id, then snapshot id and start); accounts with no such record are
   * absent. `through` is the latest month billing may have stopped in (the current month): records are
   * read from the buckets of the months they stopped in, `month` to `through`, and of the records
   * still billed, never from earlier months.
   */
  forPartition(
    partition: number,
    month: BillingMonth,
    through: BillingMonth,
  ): Promise<readonly AccountUsage[]>;
}
