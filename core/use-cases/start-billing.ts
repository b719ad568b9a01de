import { type BilledUsage, usageOf } from '../billing/usage.ts';
import type { Ports } from '../ports/ports.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { SnapshotNotAvailableError } from '../snapshots/snapshot-errors.ts';

/**
 * Starts billing a snapshot that has just become available: from its `completedAt`, on its
 * `sizeBytes`. The snapshot workflow's RegisterSnapshot step calls it after the snapshot is stored
 * as available; calling it again (a retried step) changes nothing. A snapshot that is not
 * available (a failed one above all) is refused: it is never billed.
 */
export async function startBilling(
  deps: Pick<Ports, 'usage'>,
  snapshot: Snapshot,
): Promise<BilledUsage> {
  const { completedAt } = snapshot;
  if (snapshot.status !== 'available' || completedAt === null) {
    throw new SnapshotNotAvailableError(snapshot.id, snapshot.status);
  }
  const usage = usageOf({ ...snapshot, completedAt });
  await deps.usage.start(usage);
  return usage;
}
