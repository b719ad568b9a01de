import { FutureBillingMonthError } from '../billing/billing-errors.ts';
import { isoOfSecond, monthOf, monthPeriod, parseBillingMonth } from '../billing/billing-month.ts';
import { billingWindow, computeMonthlyCharges, type MonthlyCharges } from '../billing/charges.ts';
import { allPartitionsDone } from '../billing/partitions.ts';
import type { Ports } from '../ports/ports.ts';

/**
 * An account's charges for a month (the current one by default), for the account itself only.
 *
 * - A month whose run after month end stored the account's final charges: those, unchanged.
 * - A month whose run after month end completed without charging the account: final, no lines.
 * - Otherwise (the current month, or a past one not yet closed): an `estimate` computed live from
 *   the account's usage records, up to now for the current month (month to date), up to the
 *   month's end for a past one. Live rather than the last run's figure, so that a snapshot taken
 *   or deleted a minute ago shows at once; it is one index query on the account's own records.
 *
 * A month that has not begun is refused (FutureBillingMonthError); a month before the account had
 * snapshots has no lines and a total of zero.
 */
export async function getMonthlyCharges(
  deps: Pick<Ports, 'usage' | 'charges' | 'clock'>,
  input: { accountId: string; month?: string },
): Promise<MonthlyCharges> {
  const now = deps.clock.now();
  const current = monthOf(now);
  const month = input.month === undefined ? current : parseBillingMonth(input.month);
  if (month > current) throw new FutureBillingMonthError(month, current);
  if (month < current) {
    const stored = await deps.charges.get(input.accountId, month);
    if (stored?.status === 'final') {
      return {
        accountId: stored.accountId,
        month: stored.month,
        status: 'final',
        asOf: stored.asOf,
        lines: stored.lines,
        totalCents: stored.totalCents,
      };
    }
    const run = await deps.charges.monthRun(month);
    if (allPartitionsDone(run.partitionsDone)) {
      const end = isoOfSecond(monthPeriod(month).endSecond);
      return {
        accountId: input.accountId,
        month,
        status: 'final',
        asOf: end,
        lines: [],
        totalCents: 0n,
      };
    }
  }
  const usage = await deps.usage.forAccount(input.accountId, month);
  const window = billingWindow(month, month === current ? now : undefined);
  return computeMonthlyCharges(input.accountId, usage, window, 'estimate');
}
