import type { Ports } from '../ports/ports.ts';
import {
  CHUNK_CLEANUP_LEASE_SECONDS,
  UPLOAD_WINDOW_MARGIN_MS,
} from '../snapshots/create-snapshot-limits.ts';
import { UploadsInFlightError } from '../snapshots/image-errors.ts';
import { assertSnapshotDeletable, type Snapshot } from '../snapshots/snapshot.ts';
import { IllegalSnapshotTransitionError } from '../snapshots/snapshot-errors.ts';
import { chunksInUse } from './chunks-in-use.ts';
import { getSnapshot } from './get-snapshot.ts';

/** What deleting an image removed and kept. */
export interface ImageDeletion {
  readonly deletedChunks: number;
  /** Chunks of the image that other snapshots of the account still use. */
  readonly keptChunks: number;
}

type Deps = Pick<Ports, 'snapshots' | 'images' | 'uploads' | 'clock'>;

/**
 * The chunks the snapshot may have stored: those its manifest names, or, for one that never
 * became available (its failed upload's cleanup may not have finished), every chunk of the
 * account written since it was requested.
 */
async function candidateChunks(deps: Deps, snapshot: Snapshot): Promise<readonly string[]> {
  const image = await deps.images.readImage(snapshot.accountId, snapshot.id);
  if (snapshot.completedAt !== null) return image?.chunkKeys ?? [];
  const since = new Date(new Date(snapshot.createdAt).getTime() - UPLOAD_WINDOW_MARGIN_MS);
  const written = await deps.images.chunksWrittenSince(snapshot.accountId, since);
  return [...new Set([...(image?.chunkKeys ?? []), ...written.map((chunk) => chunk.key)])];
}

/**
 * delete-snapshot's `DeleteImage`: removes the chunks the snapshot stored that no other manifest
 * of the account names, then the manifest. It runs only while no upload of the account
 * is in flight (an upload counts on the chunks it found stored until its manifest names them),
 * else UploadsInFlightError and the state machine tries again later; while it runs no upload
 * starts. The manifest goes last, so a step that fails half way finds what is left next time.
 * A protected snapshot is refused (SnapshotProtectedError) before anything is removed.
 */
export async function deleteSnapshotImage(
  deps: Deps,
  input: { accountId: string; snapshotId: string },
): Promise<ImageDeletion> {
  const snapshot = await getSnapshot(deps, input);
  if (snapshot.status === 'deleted') return { deletedChunks: 0, keptChunks: 0 };
  if (snapshot.status !== 'deleting') {
    throw new IllegalSnapshotTransitionError(snapshot.id, snapshot.status, 'deleted');
  }
  // The request checked this already; a workflow started any other way must not pass it either.
  assertSnapshotDeletable(snapshot);
  const until = new Date(deps.clock.now().getTime() + CHUNK_CLEANUP_LEASE_SECONDS * 1000);
  if (!(await deps.uploads.beginCleanup(input.accountId, snapshot.id, until))) {
    throw new UploadsInFlightError(input.accountId);
  }
  try {
    const candidates = await candidateChunks(deps, snapshot);
    const inUse = await chunksInUse(deps, input.accountId, snapshot.id);
    const orphans = candidates.filter((key) => !inUse.has(key));
    await deps.images.deleteObjects(orphans);
    await deps.images.deleteManifest(input.accountId, snapshot.id);
    return { deletedChunks: orphans.length, keptChunks: candidates.length - orphans.length };
  } finally {
    await deps.uploads.endCleanup(input.accountId, snapshot.id);
  }
}
