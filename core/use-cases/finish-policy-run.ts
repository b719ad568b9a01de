import {
  finishPolicyRun as finished,
  type PolicyRun,
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
    outcome: Pick<PolicyRun, 'taken' | 'skipped' | 'pruned' | 'failed'>;
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
