import { BillingRunIncompleteError } from '../billing/billing-errors.ts';
import { type BillingMonth, monthOf } from '../billing/billing-month.ts';
import { billingRunMonth } from '../billing/billing-run-month.ts';
import {
  type BillingWindow,
  billingWindow,
  type ChargesStatus,
  computeMonthlyCharges,
} from '../billing/charges.ts';
import { formatCents } from '../billing/money.ts';
import { ALL_BILLING_PARTITIONS, allPartitionsDone } from '../billing/partitions.ts';
import type { AccountUsage } from '../billing/usage.ts';
import { type DomainEvent, EVENT } from '../events/event-types.ts';
import type { StoredCharges } from '../ports/charges-repository.ts';
import type { Ports } from '../ports/ports.ts';
import { InvalidInputError } from '../shared/domain-error.ts';
import { toIsoTime } from '../shared/time.ts';

/**
 * Accounts charged at once. Each account is a few reads and conditional writes, so a batch keeps
 * the table busy without exceeding what one invocation's connections and memory sensibly carry.
 */
const ACCOUNT_BATCH_SIZE = 25;

/** What a billing run is asked to do. */
export interface BillingRunInput {
  /**
   * The month to run (`YYYY-MM`). By default: on the 1st, or while the previous month is not final
   * yet, the previous month (made final); otherwise the current month (a month-to-date estimate).
   */
  readonly month?: string;
  /** The partitions to run, when the run is fanned out; by default all of them. */
  readonly partitions?: readonly number[];
}

/** What a billing run did. */
export interface BillingRunSummary {
  readonly month: BillingMonth;
  readonly status: ChargesStatus;
  readonly partitions: readonly number[];
  /** Accounts charged (each change got one `Monthly Charges Computed`, written with it). */
  readonly accounts: number;
  /** Of those, the accounts whose final charges were already stored and were left unchanged. */
  readonly unchanged: number;
  readonly lines: number;
  /** The sum of the accounts' totals, in dollars. */
  readonly total: string;
  /** True when the month is final in every partition after this run. */
  readonly monthFinal: boolean;
}

type Deps = Pick<Ports, 'usage' | 'charges' | 'clock'>;

interface AccountOutcome {
  readonly charges: StoredCharges;
  readonly changed: boolean;
}

function partitionsOf(requested: readonly number[] | undefined): readonly number[] {
  if (requested === undefined) return ALL_BILLING_PARTITIONS;
  const issues = requested
    .filter((partition) => !ALL_BILLING_PARTITIONS.includes(partition))
    .map((partition) => ({
      path: 'partitions',
      message: `${partition} is not a billing partition (0 to ${ALL_BILLING_PARTITIONS.length - 1})`,
    }));
  if (issues.length > 0) throw new InvalidInputError(issues);
  return [...new Set(requested)].sort((a, b) => a - b);
}

/** `Monthly Charges Computed`: the account's total for the month, and whether it is final. */
export function monthlyChargesEvent(charges: StoredCharges): DomainEvent {
  return {
    detailType: EVENT.monthlyChargesComputed,
    detail: {
      accountId: charges.accountId,
      month: charges.month,
      status: charges.status,
      total: formatCents(charges.totalCents),
      currency: 'USD',
      lineCount: charges.lineCount,
    },
  };
}

async function chargeAccount(
  deps: Deps,
  account: AccountUsage,
  window: BillingWindow,
  status: ChargesStatus,
  run: { computedAt: string; partitionDone: boolean },
): Promise<AccountOutcome | null> {
  const computed = computeMonthlyCharges(account.accountId, account.usage, window, status);
  if (computed.lines.length === 0) return null;
  const charges: StoredCharges = {
    ...computed,
    lineCount: computed.lines.length,
    computedAt: run.computedAt,
  };
  const month = window.period.month;
  if (run.partitionDone) {
    // A re-run of a closed partition: reading what is stored is cheaper than a refused write.
    const stored = await deps.charges.get(account.accountId, month);
    if (stored?.status === 'final') return { charges: stored, changed: false };
  }
  // The event is written with the charges it tells of: once per change, never without it.
  const write = { events: [monthlyChargesEvent(charges)] };
  if (status === 'estimate') {
    if (await deps.charges.saveEstimate(charges, write)) return { charges, changed: true };
  } else if (await deps.charges.saveFinal(charges, write)) {
    return { charges, changed: true };
  }
  // The month was final already (a re-run, or another run meanwhile): what is stored stands.
  const stored = await deps.charges.get(account.accountId, month);
  return { charges: stored ?? charges, changed: false };
}

/**
 * The billing run: for every account with snapshots billed in the month, computes its charges from
 * the usage records (read per partition through the indexes, never a Scan), stores them with one
 * `Monthly Charges Computed` in the same write (the outbox). A month before the current one is made final; the current one
 * gets a month-to-date estimate. Accounts are charged in parallel, in bounded batches.
 *
 * Re-running is always safe: a final month is never changed (conditional writes) and no line is
 * ever written twice; an account whose charges are unchanged gets no event again (it got one when
 * they were stored; an estimate with the same total has the same `eventId`). An account that
 * fails does not stop the others: its partition is left unfinished and the run throws
 * BillingRunIncompleteError at the end, so that a retry (or the next daily run) completes it.
 */
export async function runBilling(
  deps: Deps,
  input: BillingRunInput = {},
): Promise<BillingRunSummary> {
  const now = deps.clock.now();
  const current = monthOf(now);
  const { month, status } = await billingRunMonth(deps.charges, now, input.month);
  const window = billingWindow(month, status === 'final' ? undefined : now);
  const partitions = partitionsOf(input.partitions);
  const computedAt = toIsoTime(now);
  const done = new Set(
    status === 'final' ? (await deps.charges.monthRun(month)).partitionsDone : [],
  );
  const failures: { accountId: string; error: unknown }[] = [];
  let accounts = 0;
  let unchanged = 0;
  let lines = 0;
  let totalCents = 0n;

  for (const partition of partitions) {
    const usage = await deps.usage.forPartition(partition, month, current);
    let partitionFailed = false;
    for (let start = 0; start < usage.length; start += ACCOUNT_BATCH_SIZE) {
      const batch = usage.slice(start, start + ACCOUNT_BATCH_SIZE);
      const outcomes = await Promise.allSettled(
        batch.map((account) =>
          chargeAccount(deps, account, window, status, {
            computedAt,
            partitionDone: done.has(partition),
          }),
        ),
      );
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'rejected') {
          partitionFailed = true;
          failures.push({ accountId: batch[index]?.accountId ?? '?', error: outcome.reason });
          return;
        }
        if (outcome.value === null) return;
        const { charges, changed } = outcome.value;
        accounts += 1;
        unchanged += changed ? 0 : 1;
        lines += charges.lineCount;
        totalCents += charges.totalCents;
      });
    }
    if (status === 'final' && !partitionFailed) {
      await deps.charges.recordPartitionsDone(month, [partition]);
    }
  }
  if (failures.length > 0) throw new BillingRunIncompleteError(month, failures);

  const monthFinal =
    status === 'final' && allPartitionsDone((await deps.charges.monthRun(month)).partitionsDone);
  return {
    month,
    status,
    partitions,
    accounts,
    unchanged,
    lines,
    total: formatCents(totalCents),
    monthFinal,
  };
}
