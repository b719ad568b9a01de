import { domainError, invalidInputError } from '../shared/domain-error.ts';
import type { BillingMonth } from './billing-month.ts';

/** Charges were asked for a month that has not begun (UTC): there is nothing to show or run. */
export class FutureBillingMonthError extends invalidInputError(
  'FutureBillingMonthError',
  'BILLING_MONTH_NOT_BEGUN',
) {
  constructor(month: BillingMonth, currentMonth: BillingMonth, path = 'month') {
    super([{ path, message: `${month} has not begun: the current month is ${currentMonth}` }]);
  }
}

/**
 * Some accounts of a billing run could not be charged (their writes or events failed). The other
 * accounts are charged; the partitions holding failed accounts are not recorded as done, so running
 * the month again (always safe) completes it.
 */
export class BillingRunIncompleteError extends domainError(
  'BillingRunIncompleteError',
  'BILLING_RUN_INCOMPLETE',
) {
  readonly month: BillingMonth;
  readonly failedAccounts: readonly string[];

  constructor(month: BillingMonth, failures: readonly { accountId: string; error: unknown }[]) {
    const first = failures[0]?.error;
    super(
      `billing of ${month} failed for ${failures.length} account(s), first: ` +
        `${first instanceof Error ? `${first.name}: ${first.message}` : String(first)}`,
    );
    this.month = month;
    this.failedAccounts = failures.map((failure) => failure.accountId);
  }
}
