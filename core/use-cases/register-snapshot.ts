import type { DomainEvent } from '../events/event-types.ts';
import { succeedOperation } from '../operations/operation.ts';
import type { StoredImage } from '../ports/image-store.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { SliceLockNotHeldError } from '../slices/slice-errors.ts';
import { ImageIncompleteError } from '../snapshots/image-errors.ts';
import { markAvailable, type Snapshot } from '../snapshots/snapshot.ts';
import { snapshotAvailableEvent } from '../snapshots/snapshot-events.ts';
import type { SnapshotStepInput } from './confirm-slice-lock-for-snapshot.ts';
import { getOperation } from './get-operation.ts';
import { changeSlice } from './get-slice.ts';
import { changeSnapshot, getSnapshot } from './get-snapshot.ts';
import { startBilling } from './start-billing.ts';

type Deps = Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'images' | 'usage' | 'clock'>;

/**
 * Makes an uploaded snapshot available, if its image is whole: the manifest is stored and verifies,
 * and every chunk it names exists (ImageIncompleteError otherwise, ImageManifestCorruptError for a
 * manifest that fails its checksum). Sizes come from the manifest. A retry after the snapshot became
 * available checks nothing again.
 */
/** `RegisterSnapshot`'s input: the step's IDs and what the upload reported of its reading. */
export interface RegisterSnapshotInput extends SnapshotStepInput {
  readonly upload?: { readonly changedBlockTracking: boolean; readonly chunksRead: number };
}

/**
 * The snapshot's stored image, once it is whole: its manifest verifies (ImageManifestCorruptError
 * otherwise) and every chunk it names exists (ImageIncompleteError otherwise).
 */
export async function wholeImage(
  deps: Pick<Ports, 'images'>,
  snapshot: Pick<Snapshot, 'accountId' | 'id' | 'region'>,
) {
  const images = deps.images.in(snapshot.region);
  const image = await images.readImage(snapshot.accountId, snapshot.id);
  if (!image) throw new ImageIncompleteError(snapshot.id, 'no manifest is stored');
  const missing = await images.missingObjects(image.chunkKeys);
  if (missing.length > 0) {
    throw new ImageIncompleteError(
      snapshot.id,
      `${missing.length} of the ${image.chunkKeys.length} chunks it names are missing`,
      missing,
    );
  }
  return image;
}

/**
 * Stores the snapshot as available with its whole image's sizes (and what the upload read, when
 * told), with `events` in the same write; a snapshot found available already is answered as it is.
 */
export async function storeAvailable(
  deps: Pick<Ports, 'snapshots' | 'clock'>,
  ids: { accountId: string; snapshotId: string },
  image: StoredImage,
  options: {
    readonly upload?: RegisterSnapshotInput['upload'];
    readonly events?: (available: Snapshot) => DomainEvent[];
  } = {},
): Promise<Snapshot> {
  return changeSnapshot(deps, ids, async (current) => {
    if (current.status === 'available') return current;
    const available = markAvailable(
      current,
      {
        sizeBytes: image.usedBytes,
        manifestKey: image.manifestKey,
        diskBytes: image.diskBytes,
        ...(options.upload ? { upload: options.upload } : {}),
      },
      toIsoTime(deps.clock.now()),
    );
    const events = options.events?.(available);
    await deps.snapshots.update(current, available, events ? { events } : undefined);
    return available;
  });
}

async function verifyAndMarkAvailable(deps: Deps, input: RegisterSnapshotInput): Promise<Snapshot> {
  const snapshot = await getSnapshot(deps, input);
  if (snapshot.status === 'available') return snapshot;
  const image = await wholeImage(deps, snapshot);
  return storeAvailable(deps, input, image, input.upload ? { upload: input.upload } : {});
}

/**
 * Gives the slice back, recording the bytes its disk uses (the image's used bytes: the next
 * snapshot's first estimate). A lock already given back (a retried step) is left alone.
 */
async function unlockSlice(deps: Deps, input: SnapshotStepInput, usedBytes: number) {
  await changeSlice(deps, input, async (slice) => {
    if (slice.lock?.operationId !== input.operationId) return;
    const now = toIsoTime(deps.clock.now());
    if (slice.usedBytes !== usedBytes) {
      await deps.slices.update(slice, { ...slice, usedBytes, updatedAt: now });
    }
    try {
      const { accountId, sliceId, operationId } = input;
      await deps.slices.releaseLock({ accountId, sliceId, operationId, now });
    } catch (error) {
      if (!(error instanceof SliceLockNotHeldError)) throw error;
    }
  });
}

/**
 * The steps after a snapshot is available, each done once however often this runs. Billing starts
 * and the slice is unlocked. The operation
 * then succeeds with `Snapshot Available` in the same write (the outbox), so neither happens
 * without the other.
 */
export async function completeSnapshotRegistration(
  deps: Deps,
  input: SnapshotStepInput,
  snapshot: Snapshot,
): Promise<void> {
  await startBilling(deps, snapshot);
  await unlockSlice(deps, input, snapshot.sizeBytes);
  const operation = await getOperation(deps, input);
  if (operation.status !== 'running') return;
  const now = toIsoTime(deps.clock.now());
  await deps.operations.update(operation, succeedOperation(operation, now), {
    events: [snapshotAvailableEvent(snapshot, operation.id)],
  });
}

/**
 * create-snapshot's `RegisterSnapshot` verifies the stored image: the manifest exists and every
 * chunk it names is stored. The snapshot then becomes `available` with the manifest's sizes,
 * billing starts, the slice is unlocked, and the operation succeeds with `Snapshot Available`.
 */
export async function registerSnapshot(
  deps: Deps,
  input: RegisterSnapshotInput,
): Promise<Snapshot> {
  const available = await verifyAndMarkAvailable(deps, input);
  await completeSnapshotRegistration(deps, input, available);
  return available;
}
