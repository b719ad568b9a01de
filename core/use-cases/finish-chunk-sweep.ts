import { UPLOAD_EXPIRY_SECONDS, WORKFLOW_TIMEOUT_SECONDS } from '../../blueprint/facts.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';

type Deps = Pick<Ports, 'collection' | 'markTallies' | 'storage' | 'clock'>;

/** What a pass's sweep did, for the execution's output and the logs. */
export interface SweepSummary {
  readonly accountId: string;
  readonly markId: string;
  readonly deletedChunks: number;
  readonly deletedBytes: number;
  readonly condemnedChunks: number;
}

/**
 * Ends the pass's notice (an upload waiting on it goes on) and drops the notices that ended
 * longer ago than an upload lasts: no upload still running can have written a chunk they deleted.
 */
async function endNotice(deps: Deps, accountId: string, markId: string): Promise<void> {
  const now = deps.clock.now();
  const notice = await deps.collection.readNotice(accountId, markId);
  if (notice !== null && notice.endedAt === null) {
    await deps.collection.writeNotice(accountId, { ...notice, endedAt: toIsoTime(now) });
  }
  const before = new Date(now.getTime() - UPLOAD_EXPIRY_SECONDS * 1000);
  await deps.collection.deleteNoticesEndedBefore(accountId, before);
}

/**
 * storage-mark's `FinishSweep`: the condemned list the sweep built replaces the account's, the
 * notice ends, and the pass's progress, tally and claim go, with the tallies failed passes left. A retry after that finds no progress
 * and only makes sure the rest is gone.
 */
export async function finishChunkSweep(
  deps: Deps,
  input: { accountId: string; markId: string },
): Promise<SweepSummary> {
  const { accountId, markId } = input;
  const progress = await deps.collection.loadProgress(accountId, markId);
  // Only the account's sweeper writes the list: the claim is asked for once more right before.
  const now = toIsoTime(deps.clock.now());
  if (progress?.done && (await deps.storage.claimSweep(accountId, markId, now, now))) {
    await deps.collection.writeCondemned(accountId, new Map(progress.condemned));
  }
  await endNotice(deps, accountId, markId);
  await deps.collection.deleteProgress(accountId, markId);
  await deps.markTallies.delete(accountId, markId);
  // Then the tallies failed passes left: written longer ago than a pass may run.
  const stale = deps.clock.now().getTime() - WORKFLOW_TIMEOUT_SECONDS['storage-mark'] * 1000;
  await deps.markTallies.deleteWrittenBefore(accountId, new Date(stale));
  await deps.storage.releaseSweep(accountId, markId);
  return {
    accountId,
    markId,
    deletedChunks: progress?.deleted ?? 0,
    deletedBytes: progress?.deletedBytes ?? 0,
    condemnedChunks: progress?.condemned.length ?? 0,
  };
}

/**
 * storage-mark's `EndSweep`, when a step failed after its retries: the notice ends and the claim
 * goes, and the condemned list stays as it was (the next pass starts over). The tally is left for
 * the next pass that finishes to delete.
 */
export async function endFailedChunkSweep(
  deps: Deps,
  input: { accountId: string; markId: string },
): Promise<void> {
  await endNotice(deps, input.accountId, input.markId);
  await deps.collection.deleteProgress(input.accountId, input.markId);
  await deps.storage.releaseSweep(input.accountId, input.markId);
}
