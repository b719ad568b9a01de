import type { PolicyRun } from '../policies/policy-run.ts';
import type { Ports } from '../ports/ports.ts';
import { finishPolicyRun } from './finish-policy-run.ts';
import { startPolicyRun } from './start-policy-run.ts';

/**
 * `POST /v1/snapshot-policies/{id}/run`: runs a policy of the caller's account now, as its
 * schedule would, and answers the run begun. A run still going is PolicyRunInProgressError (runs
 * never overlap). A workflow that cannot be started ends the run at once, every target slice
 * failed with `WORKFLOW_START_FAILED`, so that it holds the policy no longer.
 */
export async function runSnapshotPolicy(
  deps: Pick<Ports, 'policies' | 'policyRuns' | 'slices' | 'workflows' | 'clock' | 'ids'>,
  input: { accountId: string; policyId: string },
): Promise<PolicyRun> {
  const { run, sliceIds } = await startPolicyRun(deps, { ...input, trigger: 'manual' });
  try {
    await deps.workflows.startPolicyRun({
      accountId: run.accountId,
      policyId: run.policyId,
      runId: run.id,
    });
  } catch (error) {
    await finishPolicyRun(deps, {
      accountId: run.accountId,
      policyId: run.policyId,
      runId: run.id,
      outcome: {
        taken: [],
        skipped: [],
        pruned: [],
        failed: sliceIds.map((sliceId) => ({ sliceId, code: 'WORKFLOW_START_FAILED' })),
      },
    });
    throw error;
  }
  return run;
}
