import { planOperationTransfer, recordOperationProgress } from '../operations/operation.ts';
import type { StoredImage } from '../ports/image-store.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { ImageIncompleteError } from '../snapshots/image-errors.ts';
import { recordCopyProgress, type Snapshot } from '../snapshots/snapshot.ts';
import { IllegalSnapshotTransitionError } from '../snapshots/snapshot-errors.ts';
import { chunksToWriteAgain, hashOfChunkKey, noticesInTheWay } from './copy-chunk-fence.ts';
import { getOperation } from './get-operation.ts';
import { changeSnapshot, getSnapshot } from './get-snapshot.ts';
import type { SnapshotStepIds } from './snapshot-step-ids.ts';

/** What each step of copy-snapshot gets: the copy (whose `copiedFrom` names its source). */
export type CopyStepInput = SnapshotStepIds;

/**
 * Distinct chunks one CopyChunks step copies at most: 512 of 4 MiB is 2 GiB, which the stores copy
 * on their side, 16 at a time, in well under the step's timeout.
 */
export const CHUNKS_PER_COPY_STEP = 512;

type Deps = Pick<Ports, 'snapshots' | 'operations' | 'images' | 'collection' | 'clock'>;

/** Where a copy's transfer stands between steps. */
export interface CopyTransfer {
  /** Index, in the source manifest's distinct chunks, of the next one to look at. */
  readonly next: number;
  readonly chunks: number;
  /** Stored bytes of the chunks copied so far. */
  readonly bytesCopied: number;
  readonly bytesToTransfer: number;
  readonly done: boolean;
}

/** The copy, still `copying`, and the source's image it copies. */
export async function copyAndSource(
  deps: Pick<Ports, 'snapshots' | 'images'>,
  input: CopyStepInput,
): Promise<{ copy: Snapshot; image: StoredImage; sourceRegion: string; sourceId: string }> {
  const copy = await getSnapshot(deps, input);
  if (copy.status !== 'copying' || !copy.copiedFrom) {
    throw new IllegalSnapshotTransitionError(copy.id, copy.status, 'available');
  }
  const { snapshotId: sourceId, region: sourceRegion } = copy.copiedFrom;
  const image = await deps.images.in(sourceRegion).readImage(input.accountId, sourceId);
  if (!image) throw new ImageIncompleteError(sourceId, 'no manifest is stored');
  return { copy, image, sourceRegion, sourceId };
}

/** The chunks of `keys` (with their stored bytes) the target must be written: missing or fenced. */
async function chunksToCopy(
  deps: Deps,
  copy: Snapshot,
  image: StoredImage,
  range: { from: number; to: number },
) {
  const keys = image.chunkKeys.slice(range.from, range.to);
  const again = await chunksToWriteAgain(deps.collection.in(copy.region), copy.accountId);
  const missing = new Set(await deps.images.in(copy.region).missingObjects(keys));
  return keys.flatMap((key, offset) =>
    missing.has(key) || again.has(hashOfChunkKey(copy.accountId, key))
      ? [{ key, bytes: image.chunkStoredBytes[range.from + offset] ?? 0 }]
      : [],
  );
}

/**
 * copy-snapshot's `PlanCopy`, before a byte moves: the chunks of the source's image the target
 * region's store lacks for the account (or must write again, the chunk collection's rule), and
 * their stored bytes, which the operation shows as `bytesToTransfer` and its progress counts
 * toward. A chunk the target holds already is not transferred: a copy of a snapshot related to one
 * copied before moves only what changed.
 */
export async function planSnapshotCopy(deps: Deps, input: CopyStepInput): Promise<CopyTransfer> {
  const { copy, image } = await copyAndSource(deps, input);
  const chunks = image.chunkKeys.length;
  const planned = await chunksToCopy(deps, copy, image, { from: 0, to: chunks });
  const bytesToTransfer = planned.reduce((sum, chunk) => sum + chunk.bytes, 0);
  await recordProgress(deps, input, 0, bytesToTransfer, { planned: true });
  return { next: 0, chunks, bytesCopied: 0, bytesToTransfer, done: chunks === 0 };
}

/**
 * copy-snapshot's `CopyChunks`: the next CHUNKS_PER_COPY_STEP distinct chunks of the source's
 * image, each copied to the target region's store unless stored there already (and not fenced),
 * read by the store itself. The operation and the copy show the bytes copied. A step run again
 * finds the chunks it copied stored and copies nothing twice.
 */
export async function copySnapshotChunks(
  deps: Deps & Pick<Ports, 'imageTransfer'>,
  input: CopyStepInput & { transfer: CopyTransfer },
): Promise<CopyTransfer> {
  const { copy, image, sourceRegion, sourceId } = await copyAndSource(deps, input);
  const { transfer } = input;
  const to = Math.min(transfer.next + CHUNKS_PER_COPY_STEP, image.chunkKeys.length);
  const page = await chunksToCopy(deps, copy, image, { from: transfer.next, to });
  await deps.imageTransfer.copyObjects(
    { region: sourceRegion, snapshotId: sourceId },
    copy.region,
    page.map((chunk) => chunk.key),
  );
  const bytesCopied = transfer.bytesCopied + page.reduce((sum, chunk) => sum + chunk.bytes, 0);
  // A chunk the collection fenced meanwhile is copied beyond the plan: the total grows with it.
  const bytesToTransfer = Math.max(transfer.bytesToTransfer, bytesCopied);
  await recordProgress(deps, input, bytesCopied, bytesToTransfer);
  return { ...transfer, next: to, bytesCopied, bytesToTransfer, done: to >= transfer.chunks };
}

/**
 * copy-snapshot's `SettleCopy`, once every chunk is copied: whether a sweep notice still in force
 * in the target region names a chunk of the image. While one does the copy waits (a Wait state)
 * before it writes its manifest, as an agent's upload does; registration then writes again any
 * chunk such a sweep deleted.
 */
export async function settleSnapshotCopy(
  deps: Pick<Ports, 'snapshots' | 'images' | 'collection' | 'clock'>,
  input: CopyStepInput,
): Promise<{ settled: boolean; noticesInTheWay: number }> {
  const { copy, image } = await copyAndSource(deps, input);
  const hashes = new Set(image.chunkKeys.map((key) => hashOfChunkKey(copy.accountId, key)));
  const notices = await noticesInTheWay(
    deps.collection.in(copy.region),
    copy.accountId,
    hashes,
    deps.clock.now(),
  );
  return { settled: notices.length === 0, noticesInTheWay: notices.length };
}

/**
 * Shows `done` of `total` bytes on the operation and on the copy. The plan's step (`planned`)
 * also gives the operation its `bytesToTransfer`, the first time, in the same write.
 */
async function recordProgress(
  deps: Deps,
  input: CopyStepInput,
  done: number,
  total: number,
  step: { planned: boolean } = { planned: false },
) {
  const now = toIsoTime(deps.clock.now());
  const operation = await getOperation(deps, input);
  if (operation.status === 'running') {
    const planned =
      step.planned && operation.bytesToTransfer == null
        ? planOperationTransfer(operation, total, now)
        : operation;
    await deps.operations.update(operation, recordOperationProgress(planned, done, now, total));
  }
  await changeSnapshot(deps, input, async (copy) => {
    if (copy.status !== 'copying') return;
    await deps.snapshots.update(copy, recordCopyProgress(copy, done, total, now));
  });
}
