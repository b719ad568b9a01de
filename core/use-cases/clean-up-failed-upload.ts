import type { Ports } from '../ports/ports.ts';
import {
  CHUNK_CLEANUP_LEASE_SECONDS,
  UPLOAD_WINDOW_MARGIN_MS,
} from '../snapshots/create-snapshot-limits.ts';
import { UploadsInFlightError } from '../snapshots/image-errors.ts';
import { chunksInUse } from './chunks-in-use.ts';
import { getSnapshot } from './get-snapshot.ts';

/** What a cleanup removed. */
export interface UploadCleanup {
  /** False when the snapshot is not failed: its image is left alone. */
  readonly cleaned: boolean;
  readonly deletedChunks: number;
}

type Deps = Pick<Ports, 'snapshots' | 'images' | 'uploads' | 'clock'>;

/**
 * create-snapshot's `CleanUpUpload`, for a failed snapshot, removes its manifest (a PUT that timed
 * out may still have landed) and every chunk of the account written since it was requested that no
 * other manifest names. That covers the chunks its upload wrote whether or not the agent could say
 * which, and never a chunk in use, because it runs only while no upload of the account is in flight
 * (an upload counts on the chunks it found stored before its manifest names them). Otherwise it
 * throws UploadsInFlightError, and the state machine tries again later. A snapshot that is not
 * failed is left alone.
 */
export async function cleanUpFailedUpload(
  deps: Deps,
  input: { accountId: string; snapshotId: string },
): Promise<UploadCleanup> {
  const snapshot = await getSnapshot(deps, input);
  if (snapshot.status !== 'failed') return { cleaned: false, deletedChunks: 0 };
  const now = deps.clock.now();
  const until = new Date(now.getTime() + CHUNK_CLEANUP_LEASE_SECONDS * 1000);
  if (!(await deps.uploads.beginCleanup(input.accountId, snapshot.id, until))) {
    throw new UploadsInFlightError(input.accountId);
  }
  try {
    await deps.images.deleteManifest(input.accountId, snapshot.id);
    const inUse = await chunksInUse(deps, input.accountId, snapshot.id);
    const since = new Date(new Date(snapshot.createdAt).getTime() - UPLOAD_WINDOW_MARGIN_MS);
    const written = await deps.images.chunksWrittenSince(input.accountId, since);
    const orphans = written.map((chunk) => chunk.key).filter((key) => !inUse.has(key));
    await deps.images.deleteObjects(orphans);
    return { cleaned: true, deletedChunks: orphans.length };
  } finally {
    await deps.uploads.endCleanup(input.accountId, snapshot.id);
  }
}
