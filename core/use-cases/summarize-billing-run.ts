import type { BillingMonth } from '../billing/billing-month.ts';
import type { ChargesStatus } from '../billing/charges.ts';
import { formatCents, parseCents } from '../billing/money.ts';
import { allPartitionsDone } from '../billing/partitions.ts';
import type { Ports } from '../ports/ports.ts';
import type { WorkflowError } from '../workflows/workflow-failure.ts';
import type { BillingRunSummary } from './run-billing.ts';

/** What one invocation of a fanned-out run reported: its part of `runBilling`'s summary. */
export interface PartitionRunSucceeded {
  readonly partitions: readonly number[];
  readonly accounts: number;
  readonly unchanged: number;
  readonly lines: number;
  /** In dollars, as `runBilling` writes it. */
  readonly total: string;
}

/** An invocation that still failed after its retries, as the state machine's `Catch` caught it. */
export interface PartitionRunFailed {
  readonly partitions: readonly number[];
  readonly error: WorkflowError;
}

/** Every item of a fanned-out run, in any order. */
export interface SummarizeBillingRunInput {
  readonly month: BillingMonth;
  readonly status: ChargesStatus;
  readonly runs: readonly (PartitionRunSucceeded | PartitionRunFailed)[];
}

/** A fanned-out run's summary: `runBilling`'s, over every item, and the items that failed. */
export interface FannedOutBillingRunSummary extends BillingRunSummary {
  /** Partitions whose invocation failed after its retries: the month stays open for them. */
  readonly failedPartitions: readonly number[];
  /** Set only when some partition failed: which, and the first error, for the operator. */
  readonly failure?: string;
}

type Deps = Pick<Ports, 'charges'>;

function isFailed(run: PartitionRunSucceeded | PartitionRunFailed): run is PartitionRunFailed {
  return 'error' in run;
}

const ascending = (a: number, b: number) => a - b;

/**
 * Adds up what the items of a fanned-out billing run did. Whether the month is final is read from
 * the stored run progress, not inferred from the items: another run may have closed partitions
 * meanwhile, and only every partition done makes the month final.
 */
export async function summarizeBillingRun(
  deps: Deps,
  input: SummarizeBillingRunInput,
): Promise<FannedOutBillingRunSummary> {
  const failed = input.runs.filter(isFailed);
  const succeeded = input.runs.filter((run): run is PartitionRunSucceeded => !isFailed(run));
  const failedPartitions = failed.flatMap((run) => run.partitions).sort(ascending);
  const monthFinal =
    input.status === 'final' &&
    allPartitionsDone((await deps.charges.monthRun(input.month)).partitionsDone);
  const summary: FannedOutBillingRunSummary = {
    month: input.month,
    status: input.status,
    partitions: input.runs.flatMap((run) => run.partitions).sort(ascending),
    accounts: succeeded.reduce((sum, run) => sum + run.accounts, 0),
    unchanged: succeeded.reduce((sum, run) => sum + run.unchanged, 0),
    lines: succeeded.reduce((sum, run) => sum + run.lines, 0),
    total: formatCents(succeeded.reduce((sum, run) => sum + parseCents(run.total), 0n)),
    monthFinal,
    failedPartitions,
  };
  const [first] = failed;
  if (first === undefined) return summary;
  return {
    ...summary,
    failure:
      `billing of ${input.month} is incomplete: partition(s) ${failedPartitions.join(', ')} ` +
      `failed after their retries (first error: ${first.error.Error}); running the month ` +
      'again completes it',
  };
}
