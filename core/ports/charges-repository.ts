import type { BillingMonth } from '../billing/billing-month.ts';
import type { ChargeLine, ChargesStatus } from '../billing/charges.ts';
import type { WriteEvents } from './outbox.ts';

/** An account's stored charges for a month; `lines` are kept for final months only. */
export interface StoredCharges {
  readonly accountId: string;
  readonly month: BillingMonth;
  readonly status: ChargesStatus;
  /** ISO instant the charges run up to (the month's end when final). */
  readonly asOf: string;
  readonly totalCents: bigint;
  readonly lineCount: number;
  /** The final lines, ordered by snapshot id; empty for an estimate (lines are computed live). */
  readonly lines: readonly ChargeLine[];
  /** ISO time of the run that stored them. */
  readonly computedAt: string;
}

/** How far a month's run after month end has come: the partitions it has completed. */
export interface MonthRun {
  readonly month: BillingMonth;
  /** Completed partitions, ascending; empty when the month was never run after its end. */
  readonly partitionsDone: readonly number[];
}

/**
 * Charges per account and month, and the progress of month-end runs. A final month never changes:
 * every write that could alter one is conditional on it not being final.
 */
export interface ChargesRepository {
  /** The account's stored charges for the month, with its final lines, or null when none. */
  get(accountId: string, month: BillingMonth): Promise<StoredCharges | null>;

  /**
   * Stores a month-to-date estimate (summary only) unless the month is already final for the
   * account (a conditional write). False when it was final: nothing changed. `events` are written
   * with the estimate, or not at all.
   */
  saveEstimate(charges: StoredCharges, write?: WriteEvents): Promise<boolean>;

  /**
   * Stores the final lines (each written once: an existing line is never overwritten, so none is
   * ever duplicated or changed), then the final summary, conditional on the month not being final
   * yet. False when it was already final: the stored month is unchanged. `events` are written with
   * the final summary, or not at all.
   */
  saveFinal(charges: StoredCharges, write?: WriteEvents): Promise<boolean>;

  /** The month's run progress (no partition done when it never ran after month end). */
  monthRun(month: BillingMonth): Promise<MonthRun>;

  /** Adds `partitions` to the month's completed partitions (a set: adding one again is harmless). */
  recordPartitionsDone(month: BillingMonth, partitions: readonly number[]): Promise<void>;
}
