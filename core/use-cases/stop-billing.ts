import type { Ports } from '../ports/ports.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { IllegalSnapshotTransitionError } from '../snapshots/snapshot-errors.ts';

/**
 * Stops billing a snapshot at the moment its deletion was requested (`deletedAt`). The delete
 * workflow calls it once the snapshot is stored as `deleting`; calling it again changes nothing,
 * and a snapshot that was never billed is left alone. A snapshot not being deleted is refused.
 */
export async function stopBilling(deps: Pick<Ports, 'usage'>, snapshot: Snapshot): Promise<void> {
  if (snapshot.deletedAt === null) {
    throw new IllegalSnapshotTransitionError(snapshot.id, snapshot.status, 'deleting');
  }
  await deps.usage.stop(snapshot.accountId, snapshot.id, snapshot.deletedAt);
}
