import type { Ports } from '../ports/ports.ts';
import { assertSnapshotDeletable } from '../snapshots/snapshot.ts';
import { IllegalSnapshotTransitionError } from '../snapshots/snapshot-errors.ts';
import { getSnapshot } from './get-snapshot.ts';

/** What deleting an image did. */
export interface ImageDeletion {
  /** False when the snapshot is deleted already: its manifest went with it. */
  readonly deleted: boolean;
}

/**
 * delete-snapshot's `DeleteImage`: removes the snapshot's manifest and nothing else. Its chunks are
 * left to the account's chunk collection, which reclaims those no other manifest names once they
 * have gone unnamed for its grace period, so no upload of the account ever waits for a deletion.
 * A protected snapshot is refused (SnapshotProtectedError) before anything is removed.
 */
export async function deleteSnapshotImage(
  deps: Pick<Ports, 'snapshots' | 'images'>,
  input: { accountId: string; snapshotId: string },
): Promise<ImageDeletion> {
  const snapshot = await getSnapshot(deps, input);
  if (snapshot.status === 'deleted') return { deleted: false };
  if (snapshot.status !== 'deleting') {
    throw new IllegalSnapshotTransitionError(snapshot.id, snapshot.status, 'deleted');
  }
  // The request checked this already; a workflow started any other way must not pass it either.
  assertSnapshotDeletable(snapshot);
  await deps.images.in(snapshot.region).deleteManifest(input.accountId, snapshot.id);
  return { deleted: true };
}
