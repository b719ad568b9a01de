import { WORKFLOW_TIMEOUT_SECONDS } from '../../blueprint/facts.ts';
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
 * account's sweeper unless another pass is, and publishes the notice of the chunks it may delete
 * (those condemned for the grace period), so that an upload from now on writes any of them again
 * rather than count on it. With nothing to delete it publishes nothing. A retry keeps the notice
 * published first.
 */
export async function publishChunkSweep(
  deps: Pick<Ports, 'collection' | 'storage' | 'clock'>,
  input: { accountId: string; markId: string },
): Promise<SweepPublication> {
  const { accountId, markId } = input;
  const now = deps.clock.now();
  const until = new Date(now.getTime() + WORKFLOW_TIMEOUT_SECONDS['storage-mark'] * 1000);
  if (!(await deps.storage.claimSweep(accountId, markId, toIsoTime(now), toIsoTime(until)))) {
    return { accountId, markId, sweeps: false, eligibleChunks: 0 };
  }
  const published = await deps.collection.readNotice(accountId, markId);
  if (published !== null) {
    return { accountId, markId, sweeps: true, eligibleChunks: published.eligible.length };
  }
  const eligible = eligibleForSweep(await deps.collection.readCondemned(accountId), now);
  if (eligible.length > 0) {
    await deps.collection.writeNotice(accountId, {
      markId,
      publishedAt: toIsoTime(now),
      eligible,
      deleteUntil: toIsoTime(sweepDeadline(now)),
      endedAt: null,
    });
  }
  return { accountId, markId, sweeps: true, eligibleChunks: eligible.length };
}
