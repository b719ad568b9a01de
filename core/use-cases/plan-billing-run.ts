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
  /** One partition per item, every partition, ascending. */
  readonly items: readonly BillingRunItem[];
}

type Deps = Pick<Ports, 'charges' | 'clock'>;

/**
 * Resolves a billing run once, before it fans out: the month (as `runBilling` would pick it, a
 * month that has not begun refused) and every partition, one item each. A partition of a closed
 * month that is done already writes nothing again: its run reads the stored charges and gives each
 * account its `Monthly Charges Computed` once more, with the same total, as every run does.
 */
export async function planBillingRun(
  deps: Deps,
  input: BillingRunPlanInput = {},
): Promise<BillingRunPlan> {
  const { month, status } = await billingRunMonth(deps.charges, deps.clock.now(), input.month);
  const items = ALL_BILLING_PARTITIONS.map((partition) => ({ month, partitions: [partition] }));
  return { month, status, items };
}
