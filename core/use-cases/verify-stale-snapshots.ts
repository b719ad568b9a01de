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
 * snapshot verified meanwhile (the index trails the table) is left alone.
 */
export async function verifyStaleSnapshots(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'workflows' | 'ids' | 'clock'>,
  limit = VERIFICATIONS_PER_RUN,
): Promise<StaleVerificationReport> {
  const before = toIsoTime(new Date(deps.clock.now().getTime() - REVERIFY_AFTER_DAYS * DAY_MS));
  const due = await deps.snapshots.listDueForVerification(before, limit);
  const started: { snapshotId: string; operationId: string }[] = [];
  const failed: { snapshotId: string; error: string }[] = [];
  for (const listed of due) {
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
