import { newPolicyRun, type PolicyRun, type PolicyRunTrigger } from '../policies/policy-run.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { getSnapshotPolicy } from './get-snapshot-policy.ts';
import { policyTargetSlices } from './policy-targets.ts';

/**
 * Longest a run may hold its policy: long enough for its snapshots to be taken (uploads can take
 * hours), short enough that a run that died keeps the next ones out for a few hours at most.
 */
export const POLICY_RUN_HOLD_SECONDS = 8 * 3_600;

/** A run begun, and the slices it is to snapshot, as the policy's target selects them now. */
export interface StartedPolicyRun {
  readonly run: PolicyRun;
  readonly sliceIds: readonly string[];
}

/**
 * Begins a run of a policy of the caller's account: the run is stored, holding its policy, and its
 * target evaluated now (a selector picks up slices labelled since the last run). A run that holds
 * the policy already is PolicyRunInProgressError, so runs of one policy never overlap; a policy
 * that is missing or another account's is PolicyNotFoundError.
 */
export async function startPolicyRun(
  deps: Pick<Ports, 'policies' | 'policyRuns' | 'slices' | 'clock' | 'ids'>,
  input: { accountId: string; policyId: string; trigger: PolicyRunTrigger },
): Promise<StartedPolicyRun> {
  const policy = await getSnapshotPolicy(deps, input);
  const now = deps.clock.now();
  const run = newPolicyRun({
    id: deps.ids.next('policyRun'),
    accountId: policy.accountId,
    policyId: policy.id,
    trigger: input.trigger,
    now: toIsoTime(now),
    holdsUntil: toIsoTime(new Date(now.getTime() + POLICY_RUN_HOLD_SECONDS * 1000)),
  });
  await deps.policyRuns.start(run, toIsoTime(now));
  const targets = await policyTargetSlices(deps, policy.accountId, policy.target);
  return { run, sliceIds: targets.map((target) => target.sliceId) };
}
