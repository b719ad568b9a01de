import type { ChargesRepository } from '../ports/charges-repository.ts';
import { FutureBillingMonthError } from './billing-errors.ts';
import { type BillingMonth, monthOf, parseBillingMonth, previousMonth } from './billing-month.ts';
import type { ChargesStatus } from './charges.ts';
import { allPartitionsDone } from './partitions.ts';

/** The month a billing run works on, and what it makes of it. */
export interface BillingRunMonth {
  readonly month: BillingMonth;
  /** `final` for a month that has ended (it is closed); `estimate` for the current month. */
  readonly status: ChargesStatus;
}

async function defaultMonth(
  charges: Pick<ChargesRepository, 'monthRun'>,
  now: Date,
): Promise<BillingMonth> {
  const previous = previousMonth(monthOf(now));
  // The run on the 1st closes the month just ended; a retried run that day closes it again
  // (changing nothing). If the 1st's runs all failed, the next daily run closes it instead.
  if (now.getUTCDate() === 1) return previous;
  const run = await charges.monthRun(previous);
  return allPartitionsDone(run.partitionsDone) ? monthOf(now) : previous;
}

/**
 * The month a billing run started at `now` works on: `requested` when given (FutureBillingMonthError
 * for a month that has not begun); otherwise what the daily schedule's run picks: on the 1st, or
 * while the month before is not final yet, that month; on other days the current month.
 */
export async function billingRunMonth(
  charges: Pick<ChargesRepository, 'monthRun'>,
  now: Date,
  requested?: string,
): Promise<BillingRunMonth> {
  const current = monthOf(now);
  const month =
    requested === undefined ? await defaultMonth(charges, now) : parseBillingMonth(requested);
  if (month > current) throw new FutureBillingMonthError(month, current);
  return { month, status: month < current ? 'final' : 'estimate' };
}
