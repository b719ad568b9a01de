import type { Ports } from '../ports/ports.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { SnapshotNotAvailableError } from '../snapshots/snapshot-errors.ts';

/**
 * Bills a snapshot recovered from the recycle bin again, from `at` (the recovery) on its
 * `sizeBytes`: a new billing period, so the time it spent in the bin stays unbilled. Calling it
 * again for the same moment changes nothing. A snapshot that is not available is refused.
 */
export async function resumeBilling(
  deps: Pick<Ports, 'usage'>,
  snapshot: Snapshot,
  at: string,
): Promise<void> {
  if (snapshot.status !== 'available' || snapshot.completedAt === null) {
    throw new SnapshotNotAvailableError(snapshot.id, snapshot.status);
  }
  await deps.usage.resume({
    accountId: snapshot.accountId,
    snapshotId: snapshot.id,
    name: snapshot.name,
    sizeBytes: snapshot.sizeBytes,
    from: at,
    to: null,
  });
}
