import type { BillingMonth } from '../billing/billing-month.ts';
import { billingRunMonth } from '../billing/billing-run-month.ts';
import type { ChargesStatus } from '../billing/charges.ts';
import { ALL_BILLING_PARTITIONS } from '../billing/partitions.ts';
import type { Ports } from '../ports/ports.ts';

/** What a fanned-out billing run is asked to do. */
export interface BillingRunPlanInput {
  /** The month to run (`YYYY-MM`); by default the month the daily schedule's run picks. */
  readonly month?: string;
}

/** One invocation of the billing run in a fan-out: what `runBilling` takes. */
export interface BillingRunItem {
  readonly month: BillingMonth;
  readonly partitions: readonly number[];
}

/** The month a fanned-out run works on and the work, item by item. */
export interface BillingRunPlan {
  readonly month: BillingMonth;
  readonly status: ChargesStatus;
  /** One partition per item, ascending; none when the month is final in every partition. */
  readonly items: readonly BillingRunItem[];
}

type Deps = Pick<Ports, 'charges' | 'clock'>;

/**
 * Resolves a billing run once, before it fans out: the month (as `runBilling` would pick it, a
 * month that has not begun refused) and the partitions to run, one item each. A month that has
 * ended skips the partitions already done, so re-running a closed month writes and emits nothing;
 * the current month's estimate runs every partition.
 */
export async function planBillingRun(
  deps: Deps,
  input: BillingRunPlanInput = {},
): Promise<BillingRunPlan> {
  const { month, status } = await billingRunMonth(deps.charges, deps.clock.now(), input.month);
  const done = new Set(
    status === 'final' ? (await deps.charges.monthRun(month)).partitionsDone : [],
  );
  const items = ALL_BILLING_PARTITIONS.filter((partition) => !done.has(partition)).map(
    (partition) => ({ month, partitions: [partition] }),
  );
  return { month, status, items };
}
