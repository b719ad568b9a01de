import type { Ports } from '../ports/ports.ts';
import { isResourceId } from '../shared/ids.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';

/**
 * One snapshot of the caller's account (a deleted one shows as `deleted`); SnapshotNotFoundError
 * when it is missing, of another account, or the id is not a snapshot id.
 */
export async function getSnapshot(
  deps: Pick<Ports, 'snapshots'>,
  input: { accountId: string; snapshotId: string },
): Promise<Snapshot> {
  const snapshot = isResourceId('snapshot', input.snapshotId)
    ? await deps.snapshots.get(input.accountId, input.snapshotId)
    : null;
  if (!snapshot) throw new SnapshotNotFoundError(input.snapshotId);
  return snapshot;
}
