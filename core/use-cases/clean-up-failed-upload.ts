import type { Ports } from '../ports/ports.ts';
import { getSnapshot } from './get-snapshot.ts';

/** What a cleanup did. */
export interface UploadCleanup {
  /** False when the snapshot is not failed: its image is left alone. */
  readonly cleaned: boolean;
}

/**
 * create-snapshot's `CleanUpUpload`, for a failed snapshot, removes its manifest: a PUT that timed
 * out may still have landed, and a manifest left behind would keep its chunks marked. The chunks
 * its upload wrote are named by no manifest then, and the account's chunk collection reclaims them.
 * A snapshot that is not failed is left alone.
 */
export async function cleanUpFailedUpload(
  deps: Pick<Ports, 'snapshots' | 'images'>,
  input: { accountId: string; snapshotId: string },
): Promise<UploadCleanup> {
  const snapshot = await getSnapshot(deps, input);
  if (snapshot.status !== 'failed') return { cleaned: false };
  await deps.images.in(snapshot.region).deleteManifest(input.accountId, snapshot.id);
  return { cleaned: true };
}
