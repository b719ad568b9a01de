import {
  finishPolicyRun as finished,
  type PolicyRun,
  type PolicyRunOutcome,
  policyRunCompleted,
} from '../policies/policy-run.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';

/**
 * Ends a run with what it did, lets go of its policy, and writes `Policy Run Completed` with it
 * (counts of taken, skipped, pruned and failed) in the same write. A run finished already is
 * answered as it was stored, and told once.
 */
export async function finishPolicyRun(
  deps: Pick<Ports, 'policyRuns' | 'clock'>,
  input: {
    accountId: string;
    policyId: string;
    runId: string;
    outcome: PolicyRunOutcome;
  },
): Promise<PolicyRun> {
  const current = await deps.policyRuns.get(input.accountId, input.policyId, input.runId);
  // Only the run's own workflow finishes it, with the id its start gave: a missing run is a fault.
  if (!current) throw new Error(`no run ${input.runId} of snapshot policy ${input.policyId}`);
  if (current.status === 'finished') return current;
  const next = finished(current, input.outcome, toIsoTime(deps.clock.now()));
  await deps.policyRuns.finish(current, next, { events: [policyRunCompleted(next)] });
  return next;
}

/** How a run whose workflow ended outside its `Catch` is told to have ended. */
const RUN_ENDED = {
  ABORTED: {
    code: 'WORKFLOW_ABORTED',
    message: 'the run was stopped before it went through its slices',
  },
  TIMED_OUT: { code: 'WORKFLOW_TIMED_OUT', message: 'the run did not finish in time' },
  FAILED: { code: 'WORKFLOW_FAILED', message: 'the run failed before it went through its slices' },
} as const;

/**
 * Ends the run of a run-policy execution that ended outside its `Catch` (stopped, timed out or
 * failed), so that no run stays `running` in the history. The run is the one the execution names
 * (`runId`), or for a schedule's execution the policy's newest run when it is still running and
 * began after the execution did (a later run can only begin once this one's hold has passed,
 * which is the execution's own time limit). Answers the run ended, or null when there was none
 * to end.
 */
export async function endInterruptedPolicyRun(
  deps: Pick<Ports, 'policyRuns' | 'clock'>,
  input: {
    accountId: string;
    policyId: string;
    runId?: string | undefined;
    executionStartedAt: Date;
    executionStatus: 'ABORTED' | 'TIMED_OUT' | 'FAILED';
  },
): Promise<PolicyRun | null> {
  const run =
    input.runId !== undefined
      ? await deps.policyRuns.get(input.accountId, input.policyId, input.runId)
      : ((
          await deps.policyRuns.list(input.accountId, input.policyId, { limit: 1, cursor: null })
        ).items.find(
          (newest) => Date.parse(newest.startedAt) >= input.executionStartedAt.getTime(),
        ) ?? null);
  if (!run || run.status === 'finished') return null;
  const error = RUN_ENDED[input.executionStatus];
  return finishPolicyRun(deps, {
    accountId: run.accountId,
    policyId: run.policyId,
    runId: run.id,
    outcome: {
      taken: run.taken,
      skipped: run.skipped,
      pruned: run.pruned,
      failed: run.failed,
      error,
    },
  });
}

/** Overdue runs ended per sweep; the next sweep, minutes later, takes the rest. */
export const OVERDUE_RUNS_PER_SWEEP = 100;

/**
 * The scheduled safety net behind the reconciler (a status-change event can be lost): every run
 * still `running` whose hold has ended is ended as timed out. Its workflow may run no longer than
 * the hold, so nothing of it still goes. Answers the runs ended.
 */
export async function endOverduePolicyRuns(
  deps: Pick<Ports, 'policyRuns' | 'clock'>,
  limit = OVERDUE_RUNS_PER_SWEEP,
): Promise<string[]> {
  const overdue = await deps.policyRuns.listOverdue(toIsoTime(deps.clock.now()), limit);
  const ended: string[] = [];
  for (const run of overdue) {
    const done = await endInterruptedPolicyRun(deps, {
      accountId: run.accountId,
      policyId: run.policyId,
      runId: run.id,
      executionStartedAt: new Date(run.startedAt),
      executionStatus: 'TIMED_OUT',
    });
    if (done) ended.push(done.id);
  }
  return ended;
}
