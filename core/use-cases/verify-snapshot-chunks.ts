import { recordOperationProgress } from '../operations/operation.ts';
import type { StoredImage } from '../ports/image-store.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { ImageManifestCorruptError } from '../snapshots/image-errors.ts';
import { chunksToVerify } from '../snapshots/image-verification.ts';
import { assertSnapshotVerifiable, type Snapshot } from '../snapshots/snapshot.ts';
import { getOperation } from './get-operation.ts';
import { getSnapshot } from './get-snapshot.ts';
import type { SnapshotStepIds } from './snapshot-step-ids.ts';

/**
 * Distinct chunks one step reads back: 64 chunks of 4 MiB are 256 MiB, a few seconds of a
 * function's time, far inside its timeout however slow the store.
 */
export const CHUNKS_PER_STEP = 64;

/** What a verify-snapshot step works on, and how far the verification has come. */
export interface VerificationStepInput extends SnapshotStepIds {
  /** The position, in the image's chunks to verify, where this step starts. */
  readonly next: number;
  /** Damaged chunks the steps before found. */
  readonly damagedChunks: number;
}

/** What reading the image back has found so far. */
export interface VerificationFindings {
  /** Distinct chunks missing, or not matching their hash. */
  readonly damagedChunks: number;
  /** The manifest itself is missing or fails its checksum: no chunk of it can be trusted. */
  readonly manifestDamaged: boolean;
}

/** How far the verification has come after a step; `done` once every chunk has been read. */
export interface VerificationProgress extends VerificationFindings {
  readonly next: number;
  /** Chunks found damaged so far, by hash: at most a page's worth, for the record. */
  readonly damagedHashes: readonly string[];
  readonly done: boolean;
}

/** The snapshot's manifest, or null when it is missing or fails its checksum or format. */
async function readManifest(
  deps: Pick<Ports, 'images'>,
  snapshot: Snapshot,
): Promise<StoredImage | null> {
  try {
    return await deps.images.in(snapshot.region).readImage(snapshot.accountId, snapshot.id);
  } catch (error) {
    if (error instanceof ImageManifestCorruptError) return null;
    throw error;
  }
}

/**
 * verify-snapshot's `VerifyChunks`: reads back the next page of the image's distinct chunks (in
 * {@link chunksToVerify}'s order) and counts those missing or not matching their hash; the
 * operation's progress shows the bytes read so far. A manifest that is missing or fails its
 * checksum ends the reading at once, as damaged. The snapshot must still hold its image
 * (SnapshotBeingDeletedError once its deletion has begun). Running a step again reads the same
 * page again.
 */
export async function verifySnapshotChunks(
  deps: Pick<Ports, 'snapshots' | 'images' | 'operations' | 'clock'>,
  input: VerificationStepInput,
): Promise<VerificationProgress> {
  const snapshot = await getSnapshot(deps, input);
  assertSnapshotVerifiable(snapshot);
  const image = await readManifest(deps, snapshot);
  if (!image) {
    return {
      next: input.next,
      damagedChunks: input.damagedChunks,
      manifestDamaged: true,
      damagedHashes: [],
      done: true,
    };
  }
  const chunks = chunksToVerify(image);
  const page = chunks.slice(input.next, input.next + CHUNKS_PER_STEP);
  const damaged = await deps.images.in(snapshot.region).damagedChunks(
    snapshot.accountId,
    image.hashAlgorithm,
    page.map((chunk) => chunk.hash),
  );
  const next = input.next + page.length;
  const operation = await getOperation(deps, input);
  if (operation.status === 'running') {
    const now = toIsoTime(deps.clock.now());
    const bytesTotal = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const bytesDone = chunks.slice(0, next).reduce((sum, chunk) => sum + chunk.length, 0);
    await deps.operations.update(
      operation,
      recordOperationProgress(operation, bytesDone, now, bytesTotal),
    );
  }
  return {
    next,
    damagedChunks: input.damagedChunks + damaged.length,
    manifestDamaged: false,
    damagedHashes: damaged,
    done: next >= chunks.length,
  };
}
