import { UPLOAD_EXPIRY_SECONDS, WORKFLOW_TIMEOUT_SECONDS } from '../../blueprint/facts.ts';
import type { CollectionStore } from '../ports/collection-store.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';

type Deps = Pick<Ports, 'collection' | 'markTallies' | 'storage' | 'regions' | 'clock'>;

/** What a pass's sweep did, for the execution's output and the logs. */
export interface SweepSummary {
  readonly accountId: string;
  readonly markId: string;
  readonly deletedChunks: number;
  readonly deletedBytes: number;
  readonly condemnedChunks: number;
}

/**
 * Ends the pass's notice in a region (an upload waiting on it goes on) and drops the notices that
 * ended longer ago than an upload lasts: no upload still running can have written a chunk they
 * deleted.
 */
async function endNotice(
  deps: Pick<Ports, 'clock'>,
  collection: CollectionStore,
  accountId: string,
  markId: string,
): Promise<void> {
  const now = deps.clock.now();
  const notice = await collection.readNotice(accountId, markId);
  if (notice !== null && notice.endedAt === null) {
    await collection.writeNotice(accountId, { ...notice, endedAt: toIsoTime(now) });
  }
  const before = new Date(now.getTime() - UPLOAD_EXPIRY_SECONDS * 1000);
  await collection.deleteNoticesEndedBefore(accountId, before);
}

/** Each served region's collection store. */
async function collections(deps: Deps): Promise<CollectionStore[]> {
  return (await deps.regions.list()).map((region) => deps.collection.in(region.id));
}

/**
 * storage-mark's `FinishSweep`: in each region, the condemned list the sweep built replaces the
 * account's and the notice ends; then the pass's progress, tally and claim go, with the tallies
 * failed passes left. A retry after that finds no progress and only makes sure the rest is gone.
 */
export async function finishChunkSweep(
  deps: Deps,
  input: { accountId: string; markId: string },
): Promise<SweepSummary> {
  const { accountId, markId } = input;
  const summary = { accountId, markId, deletedChunks: 0, deletedBytes: 0, condemnedChunks: 0 };
  for (const collection of await collections(deps)) {
    const progress = await collection.loadProgress(accountId, markId);
    // Only the account's sweeper writes a list: the claim is asked for once more right before.
    const now = toIsoTime(deps.clock.now());
    if (progress?.done && (await deps.storage.claimSweep({ accountId, markId, now, until: now }))) {
      await collection.writeCondemned(accountId, new Map(progress.condemned));
    }
    await endNotice(deps, collection, accountId, markId);
    await collection.deleteProgress(accountId, markId);
    summary.deletedChunks += progress?.deleted ?? 0;
    summary.deletedBytes += progress?.deletedBytes ?? 0;
    summary.condemnedChunks += progress?.condemned.length ?? 0;
  }
  await deps.markTallies.delete(accountId, markId);
  // Then the tallies failed passes left: written longer ago than a pass may run.
  const stale = deps.clock.now().getTime() - WORKFLOW_TIMEOUT_SECONDS['storage-mark'] * 1000;
  await deps.markTallies.deleteWrittenBefore(accountId, new Date(stale));
  await deps.storage.releaseSweep(accountId, markId);
  return summary;
}

/**
 * storage-mark's `EndSweep`, when a step failed after its retries: the notices end and the claim
 * goes, and the condemned lists stay as they were (the next pass starts over). The tally is left
 * for the next pass that finishes to delete.
 */
export async function endFailedChunkSweep(
  deps: Deps,
  input: { accountId: string; markId: string },
): Promise<void> {
  for (const collection of await collections(deps)) {
    await endNotice(deps, collection, input.accountId, input.markId);
    await collection.deleteProgress(input.accountId, input.markId);
  }
  await deps.storage.releaseSweep(input.accountId, input.markId);
}
