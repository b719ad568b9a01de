import type { DomainEvent } from '../events/event-types.ts';
import { EVENT } from '../events/event-types.ts';
import { domainError } from '../shared/domain-error.ts';

/** Why a run took no snapshot of a slice. */
export type PolicySkipReason = 'slice-busy' | 'slice-gone' | 'slice-not-active';

/** What started a run: its schedule, or `POST /{id}/run`. */
export type PolicyRunTrigger = 'schedule' | 'manual';

/**
 * One run of a snapshot policy, as its history shows it: the snapshots it took, the slices it
 * skipped and why, the snapshots it pruned into the recycle bin, and the slices it failed on.
 */
export interface PolicyRun {
  readonly id: string;
  readonly accountId: string;
  readonly policyId: string;
  readonly trigger: PolicyRunTrigger;
  readonly status: 'running' | 'finished';
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /**
   * Until when the run holds its policy: the run-policy workflow's longest run. A run that died
   * never keeps the next one out past it.
   */
  readonly holdsUntil: string;
  readonly taken: readonly { readonly sliceId: string; readonly snapshotId: string }[];
  readonly skipped: readonly { readonly sliceId: string; readonly reason: PolicySkipReason }[];
  readonly pruned: readonly string[];
  readonly failed: readonly { readonly sliceId: string; readonly code: string }[];
}

/** A run of the policy is going: runs of one policy never overlap. */
export class PolicyRunInProgressError extends domainError(
  'PolicyRunInProgressError',
  'POLICY_RUN_IN_PROGRESS',
) {
  readonly runId: string;

  constructor(policyId: string, runId: string) {
    super(`snapshot policy ${policyId} is running already (run ${runId})`);
    this.runId = runId;
  }
}

/** A new, running run of a policy, holding it until `holdsUntil`. */
export function newPolicyRun(input: {
  readonly id: string;
  readonly accountId: string;
  readonly policyId: string;
  readonly trigger: PolicyRunTrigger;
  readonly now: string;
  readonly holdsUntil: string;
}): PolicyRun {
  return {
    id: input.id,
    accountId: input.accountId,
    policyId: input.policyId,
    trigger: input.trigger,
    status: 'running',
    startedAt: input.now,
    finishedAt: null,
    holdsUntil: input.holdsUntil,
    taken: [],
    skipped: [],
    pruned: [],
    failed: [],
  };
}

/** The run finished with what it did. */
export function finishPolicyRun(
  run: PolicyRun,
  outcome: Pick<PolicyRun, 'taken' | 'skipped' | 'pruned' | 'failed'>,
  now: string,
): PolicyRun {
  return { ...run, ...outcome, status: 'finished', finishedAt: now };
}

/** `Policy Run Completed`: what a finished run did, in counts, once per run. */
export function policyRunCompleted(run: PolicyRun): DomainEvent {
  return {
    detailType: EVENT.policyRunCompleted,
    detail: {
      accountId: run.accountId,
      policyId: run.policyId,
      runId: run.id,
      taken: run.taken.length,
      skipped: run.skipped.length,
      pruned: run.pruned.length,
      failed: run.failed.length,
    },
    key: run.id,
  };
}
