import type { Ports } from '../ports/ports.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { type Snapshot, startSnapshotDeletion } from '../snapshots/snapshot.ts';
import { SnapshotInUseError, SnapshotProtectedError } from '../snapshots/snapshot-errors.ts';
import { launchSnapshotDeletion } from './launch-snapshot-deletion.ts';
import { stopBilling } from './stop-billing.ts';

/** Expired snapshots read per page of the recycle bin's index. */
export const PURGE_PAGE_SIZE = 100;
/**
 * The most expired snapshots one purge run looks at; the next run, 15 minutes later, takes the
 * rest. Each one purged starts a workflow, which the run does not wait for.
 */
export const PURGE_LIMIT_PER_RUN = 500;

/** What one purge run did. */
export interface PurgeReport {
  /** Expired snapshots looked at. */
  readonly expired: number;
  /** Snapshots whose deletion for good has started; their delete-snapshot workflows run on. */
  readonly purged: readonly string[];
  /** Snapshots a restore or a new slice still reads. They stay in the bin for the next run. */
  readonly inUse: readonly string[];
  /**
   * Snapshots protected while in the bin. They stay there, past their time, until the protection
   * is lifted; a purge never deletes a protected snapshot.
   */
  readonly protectedIds: readonly string[];
  /** Snapshots that could not be purged this time, and why. The next run tries them again. */
  readonly failed: ReadonlyArray<{ readonly snapshotId: string; readonly error: string }>;
}

type Deps = Pick<Ports, 'snapshots' | 'operations' | 'usage' | 'workflows' | 'clock' | 'ids'>;

/** True while the snapshot is in the recycle bin and its time there is up at `now`. */
function expired(snapshot: Snapshot, now: string): boolean {
  return snapshot.status === 'recycled' && snapshot.purgeAt !== null && snapshot.purgeAt <= now;
}

/**
 * Moves one expired snapshot to `deleting` and starts its deletion, as `DELETE ?purge=true` does.
 * Answers false when it is no longer expired, because it was recovered or purged by its owner
 * meanwhile (the index trails the table by a moment). Throws SnapshotInUseError while a restore or
 * a new slice reads it, SnapshotProtectedError while it is protected.
 */
async function purgeOne(deps: Deps, listed: Snapshot, now: string): Promise<boolean> {
  const operationId = deps.ids.next('operation');
  const deleting = await retryOnConflict(async () => {
    const current = await deps.snapshots.get(listed.accountId, listed.id);
    if (current === null || !expired(current, now)) return null;
    const next = startSnapshotDeletion(current, now, operationId);
    await deps.snapshots.update(current, next);
    return next;
  });
  if (deleting === null) return false;
  // Billing stopped when it went into the bin. Stopping it again closes what a crash left open.
  await stopBilling(deps, deleting);
  await launchSnapshotDeletion(deps, deleting, operationId);
  return true;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The scheduled purge of the recycle bin deletes every recycled snapshot whose `purgeAt` has
 * passed for good, through the delete-snapshot workflow. One that a restore or a new slice still
 * reads stays in the bin and is tried again by the next run; the reader's lease runs out at the
 * latest when its workflow times out. It reads the recycled snapshots from an index that holds
 * nothing else, never the table.
 */
export async function purgeExpiredSnapshots(deps: Deps): Promise<PurgeReport> {
  const now = toIsoTime(deps.clock.now());
  const purged: string[] = [];
  const inUse: string[] = [];
  const protectedIds: string[] = [];
  const failed: Array<{ snapshotId: string; error: string }> = [];
  let seen = 0;
  let after: Snapshot | null = null;
  while (seen < PURGE_LIMIT_PER_RUN) {
    const limit = Math.min(PURGE_PAGE_SIZE, PURGE_LIMIT_PER_RUN - seen);
    const page = await deps.snapshots.listExpired(now, limit, after);
    for (const snapshot of page) {
      try {
        if (await purgeOne(deps, snapshot, now)) purged.push(snapshot.id);
      } catch (error) {
        if (error instanceof SnapshotInUseError) inUse.push(snapshot.id);
        else if (error instanceof SnapshotProtectedError) protectedIds.push(snapshot.id);
        else failed.push({ snapshotId: snapshot.id, error: describe(error) });
      }
    }
    seen += page.length;
    after = page.at(-1) ?? null;
    if (page.length < limit) break;
  }
  return { expired: seen, purged, inUse, protectedIds, failed };
}
