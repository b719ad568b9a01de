import type { DomainEvent } from '../events/event-types.ts';
import { EVENT } from '../events/event-types.ts';
import { domainError } from '../shared/domain-error.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';

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
  /**
   * Why the run ended before it went through its slices (its workflow stopped, timed out or
   * failed); null or absent when it went through them all.
   */
  readonly error?: { readonly code: string; readonly message: string } | null;
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

/**
 * The slice is busy with another operation: the run-policy workflow tries it again, within the
 * run's window, before it records the slice as skipped.
 */
export class PolicySliceBusyError extends domainError('PolicySliceBusyError', 'SLICE_BUSY') {
  constructor(sliceId: string) {
    super(`slice ${sliceId} is busy with another operation`);
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
export function finishPolicyRun(run: PolicyRun, outcome: PolicyRunOutcome, now: string): PolicyRun {
  return { ...run, error: null, ...outcome, status: 'finished', finishedAt: now };
}

/** What a run did, as it is finished with. */
export type PolicyRunOutcome = Pick<PolicyRun, 'taken' | 'skipped' | 'pruned' | 'failed' | 'error'>;

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

/**
 * What the run-policy workflow did with one target slice, as its steps leave it: the snapshot it
 * took or why it skipped the slice, how that snapshot ended, what it pruned, and the step that
 * failed, if one did.
 */
export interface PolicySliceResult {
  readonly sliceId: string;
  readonly take?: { readonly snapshotId: string | null; readonly skipped: PolicySkipReason | null };
  readonly takeError?: WorkflowError;
  readonly snapshot?: { readonly status: string; readonly code: string | null };
  readonly prune?: { readonly pruned: readonly string[] };
  readonly pruneError?: WorkflowError;
}

/** The code a failed step of a run is recorded with. */
function codeOf(error: WorkflowError): string {
  return failureOf(error, { code: 'WORKFLOW_FAILED', message: '' }).code;
}

/**
 * A run's outcome from its slices' results. A snapshot taken counts once it is available; one
 * that failed, or a step that failed, makes the slice failed with the code. When the workflow
 * failed before it had a result for every slice (`runError`), the slices without one are failed
 * with its code.
 */
export function policyRunOutcome(
  sliceIds: readonly string[],
  results: readonly PolicySliceResult[],
  runError?: WorkflowError,
): PolicyRunOutcome {
  const taken: { sliceId: string; snapshotId: string }[] = [];
  const skipped: { sliceId: string; reason: PolicySkipReason }[] = [];
  const pruned: string[] = [];
  const failed: { sliceId: string; code: string }[] = [];
  for (const result of results) {
    const { sliceId, take, snapshot } = result;
    if (result.takeError) failed.push({ sliceId, code: codeOf(result.takeError) });
    else if (take?.skipped) skipped.push({ sliceId, reason: take.skipped });
    else if (take?.snapshotId && snapshot?.status === 'available') {
      taken.push({ sliceId, snapshotId: take.snapshotId });
    } else if (take?.snapshotId) {
      failed.push({ sliceId, code: snapshot?.code ?? 'SNAPSHOT_FAILED' });
    }
    pruned.push(...(result.prune?.pruned ?? []));
    if (result.pruneError && !failed.some((each) => each.sliceId === sliceId)) {
      failed.push({ sliceId, code: codeOf(result.pruneError) });
    }
  }
  if (runError) {
    const done = new Set(results.map((result) => result.sliceId));
    for (const sliceId of sliceIds) {
      if (!done.has(sliceId)) failed.push({ sliceId, code: codeOf(runError) });
    }
  }
  const error = runError
    ? { code: codeOf(runError), message: 'the run failed before it went through its slices' }
    : null;
  return { taken, skipped, pruned, failed, error };
}
