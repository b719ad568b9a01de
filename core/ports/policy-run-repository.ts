import type { Page, PageRequest } from '../pagination/page.ts';
import type { PolicyRun } from '../policies/policy-run.ts';
import type { WriteEvents } from './outbox.ts';

/** Runs of snapshot policies, and which one holds each policy now. Keyed by account. */
export interface PolicyRunRepository {
  /**
   * Stores a new running run and makes it the one that holds its policy, in one write, provided
   * no other run holds the policy (a run past its `holdsUntil` at `now` holds it no more);
   * otherwise PolicyRunInProgressError naming the run that does, and nothing is stored.
   */
  start(run: PolicyRun, now: string): Promise<void>;

  /**
   * Stores the run as finished and lets go of its policy, with `events` in the same write,
   * provided it is still running; otherwise ConcurrentModificationError (a finish is told once).
   */
  finish(current: PolicyRun, next: PolicyRun, write?: WriteEvents): Promise<void>;

  /** The run, or null when there is no such run of that policy in `accountId`. */
  get(accountId: string, policyId: string, runId: string): Promise<PolicyRun | null>;

  /**
   * Up to `limit` runs of every account still `running` whose hold ended at or before `before`,
   * the longest overdue first. Reads an index that holds running runs only, never the table; it
   * may trail the table by a moment, so a caller checks each run it acts on.
   */
  listOverdue(before: string, limit: number): Promise<readonly PolicyRun[]>;

  /** A policy's runs, newest first, a page at a time; a foreign cursor is InvalidCursorError. */
  list(accountId: string, policyId: string, page: PageRequest): Promise<Page<PolicyRun>>;
}
