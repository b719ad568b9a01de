import { PolicyNotFoundError } from '../policies/policy-errors.ts';
import { PolicyRunInProgressError } from '../policies/policy-run.ts';
import type { Ports } from '../ports/ports.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';
import { policyTargetSlices } from './policy-targets.ts';
import { startPolicyRun } from './start-policy-run.ts';

/** Why a scheduled run did not begin. */
export type PolicyRunNotBegun = 'policy-gone' | 'policy-disabled' | 'previous-run-going';

/**
 * The run the workflow carries out and the slices it is to snapshot, or why there is none. Every
 * field is always there, as the state machine's `ResultSelector` reads them.
 */
export type BegunPolicyRun =
  | {
      readonly begun: true;
      readonly runId: string;
      readonly sliceIds: readonly string[];
      readonly reason: null;
    }
  | {
      readonly begun: false;
      readonly runId: null;
      readonly sliceIds: readonly [];
      readonly reason: PolicyRunNotBegun;
    };

function begun(runId: string, sliceIds: readonly string[]): BegunPolicyRun {
  return { begun: true, runId, sliceIds, reason: null };
}

function notBegun(reason: PolicyRunNotBegun): BegunPolicyRun {
  return { begun: false, runId: null, sliceIds: [], reason };
}

/**
 * The run-policy workflow's first step. A run begun by `POST /{id}/run` (`runId`) is carried out
 * on the policy's target as it stands now. A schedule's run begins here: not at all when the
 * policy was deleted or disabled since the schedule fired, or while its previous run still goes
 * (runs of a policy never overlap; the schedule's next run will come).
 */
export async function beginPolicyRun(
  deps: Pick<Ports, 'policies' | 'policyRuns' | 'slices' | 'clock' | 'ids'>,
  input: { accountId: string; policyId: string; runId?: string | undefined },
): Promise<BegunPolicyRun> {
  if (input.runId !== undefined) {
    const run = await deps.policyRuns.get(input.accountId, input.policyId, input.runId);
    // The API stored the run before it started the workflow: a missing one is a fault.
    if (!run) throw new Error(`no run ${input.runId} of snapshot policy ${input.policyId}`);
    if (run.status === 'finished') return begun(run.id, []);
    const policy = await getSnapshotPolicy(deps, input);
    const targets = await policyTargetSlices(deps, policy.accountId, policy.target);
    return begun(
      run.id,
      targets.map((target) => target.sliceId),
    );
  }
  try {
    const policy = await getSnapshotPolicy(deps, input);
    if (!policy.enabled) return notBegun('policy-disabled');
    const { run, sliceIds } = await startPolicyRun(deps, { ...input, trigger: 'schedule' });
    return begun(run.id, sliceIds);
  } catch (error) {
    if (error instanceof PolicyNotFoundError) return notBegun('policy-gone');
    if (error instanceof PolicyRunInProgressError) return notBegun('previous-run-going');
    throw error;
  }
}
