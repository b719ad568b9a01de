import { WORKFLOW_TIMEOUT_SECONDS } from '../../blueprint/facts.ts';
import type { CollectionStore } from '../ports/collection-store.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { eligibleForSweep, sweepDeadline } from '../storage/chunk-collection.ts';

/** Whether the pass sweeps, and how many chunks it may delete. */
export interface SweepPublication {
  readonly accountId: string;
  readonly markId: string;
  readonly sweeps: boolean;
  readonly eligibleChunks: number;
}

/**
 * storage-mark's `PublishSweep`, before the pass reads any manifest: the pass becomes the
 * account's sweeper unless another pass is, and publishes in each region's store the notice of
 * the chunks it may delete there (those condemned for the grace period), so that an upload from
 * now on writes any of them again rather than count on it. A region with nothing to delete gets
 * no notice. A retry keeps the notices published first.
 */
export async function publishChunkSweep(
  deps: Pick<Ports, 'collection' | 'storage' | 'regions' | 'clock'>,
  input: { accountId: string; markId: string },
): Promise<SweepPublication> {
  const { accountId, markId } = input;
  const now = deps.clock.now();
  const until = new Date(now.getTime() + WORKFLOW_TIMEOUT_SECONDS['storage-mark'] * 1000);
  const claim = { accountId, markId, now: toIsoTime(now), until: toIsoTime(until) };
  if (!(await deps.storage.claimSweep(claim))) {
    return { accountId, markId, sweeps: false, eligibleChunks: 0 };
  }
  let eligibleChunks = 0;
  for (const region of await deps.regions.list()) {
    eligibleChunks += await publishInRegion(deps.collection.in(region.id), accountId, markId, now);
  }
  return { accountId, markId, sweeps: true, eligibleChunks };
}

/** Publishes the region's notice, once; answers how many chunks it names. */
async function publishInRegion(
  collection: CollectionStore,
  accountId: string,
  markId: string,
  now: Date,
): Promise<number> {
  const published = await collection.readNotice(accountId, markId);
  if (published !== null) return published.eligible.length;
  const eligible = eligibleForSweep(await collection.readCondemned(accountId), now);
  if (eligible.length > 0) {
    await collection.writeNotice(accountId, {
      markId,
      publishedAt: toIsoTime(now),
      eligible,
      deleteUntil: toIsoTime(sweepDeadline(now)),
      endedAt: null,
    });
  }
  return eligible.length;
}
