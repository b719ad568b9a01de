import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { unverifiedSince } from '../snapshots/snapshot.ts';
import { requestSnapshotVerification } from './request-snapshot-verification.ts';

/** A snapshot is read back once it has gone this long unchecked. */
export const REVERIFY_AFTER_DAYS = 30;

/**
 * The most verifications one run starts. Runs come every hour, so up to 600 snapshots a day are
 * read back, spread out, rather than every snapshot of a month at once.
 */
export const VERIFICATIONS_PER_RUN = 25;

const DAY_MS = 86_400_000;

/** Running operations read to find the verifications still going: far more than run at once. */
const RUNNING_SCAN_LIMIT = 1_000;

/** What one run started. */
export interface StaleVerificationReport {
  /** Snapshots whose verification has started, with its operation. */
  readonly started: ReadonlyArray<{ readonly snapshotId: string; readonly operationId: string }>;
  /** Snapshots whose verification could not start, and why; the next run tries them again. */
  readonly failed: ReadonlyArray<{ readonly snapshotId: string; readonly error: string }>;
}

/**
 * The scheduled verification: starts reading back the available snapshots of every account that
 * have gone `REVERIFY_AFTER_DAYS` without a check (never verified: since they were taken), the
 * longest unchecked first, at most `limit` a run. A verification that finds a damaged chunk marks
 * the snapshot corrupt and tells `Snapshot Corrupt`, as one asked for by its owner does. A
 * snapshot verified meanwhile (the index trails the table), or one whose verification is still
 * running (its owner's, or the previous run's), is left alone.
 */
export async function verifyStaleSnapshots(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'workflows' | 'ids' | 'clock'>,
  limit = VERIFICATIONS_PER_RUN,
): Promise<StaleVerificationReport> {
  const now = deps.clock.now();
  const before = toIsoTime(new Date(now.getTime() - REVERIFY_AFTER_DAYS * DAY_MS));
  // Every operation running now, one started this very millisecond included.
  const soon = toIsoTime(new Date(now.getTime() + 1));
  const running = await deps.operations.listRunning(soon, RUNNING_SCAN_LIMIT);
  const checking = new Set(
    running
      .filter((operation) => operation.type === 'snapshot.verify')
      .map((operation) => `${operation.accountId}/${operation.resourceId}`),
  );
  const due = await deps.snapshots.listDueForVerification(before, limit + checking.size);
  const started: { snapshotId: string; operationId: string }[] = [];
  const failed: { snapshotId: string; error: string }[] = [];
  for (const listed of due) {
    if (started.length + failed.length >= limit) break;
    if (checking.has(`${listed.accountId}/${listed.id}`)) continue;
    const current = await deps.snapshots.get(listed.accountId, listed.id);
    if (current?.status !== 'available' || unverifiedSince(current) > before) continue;
    try {
      const operation = await requestSnapshotVerification(deps, {
        accountId: current.accountId,
        snapshotId: current.id,
      });
      started.push({ snapshotId: current.id, operationId: operation.id });
    } catch (error) {
      failed.push({ snapshotId: current.id, error: String(error) });
    }
  }
  return { started, failed };
}
