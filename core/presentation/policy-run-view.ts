import type { PolicyRun, PolicyRunTrigger, PolicySkipReason } from '../policies/policy-run.ts';

/** A policy's run as CONTRACT.md shows it in the run history. */
export interface PolicyRunView {
  readonly id: string;
  readonly trigger: PolicyRunTrigger;
  readonly status: 'running' | 'finished';
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly taken: readonly { readonly sliceId: string; readonly snapshotId: string }[];
  readonly skipped: readonly { readonly sliceId: string; readonly reason: PolicySkipReason }[];
  readonly pruned: readonly string[];
  readonly failed: readonly { readonly sliceId: string; readonly code: string }[];
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** The public view of a run: everything but the account and how long it holds its policy. */
export function viewPolicyRun(run: PolicyRun): PolicyRunView {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    taken: run.taken,
    skipped: run.skipped,
    pruned: run.pruned,
    failed: run.failed,
    error: run.error ?? null,
  };
}
