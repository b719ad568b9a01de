import { failOperation, succeedOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { ImageIncompleteError } from '../snapshots/image-errors.ts';
import { markSnapshotFailed, type Snapshot } from '../snapshots/snapshot.ts';
import {
  snapshotAvailableEvent,
  snapshotCopiedEvent,
  snapshotFailedEvent,
} from '../snapshots/snapshot-events.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import { getOperation } from './get-operation.ts';
import { getSnapshot } from './get-snapshot.ts';
import { storeAvailable } from './register-snapshot.ts';
import { releaseSnapshotReader } from './snapshot-readers.ts';
import { startBilling } from './start-billing.ts';
import { type CopyStepInput, copyAndSource } from './transfer-snapshot-copy.ts';

type Deps = Pick<
  Ports,
  'snapshots' | 'operations' | 'images' | 'imageTransfer' | 'usage' | 'clock'
>;

const COPY_FAILED: Failure = {
  code: 'SNAPSHOT_COPY_FAILED',
  message: 'the snapshot could not be copied; the source snapshot is unchanged',
};

/** The copy's source stops being read: the copy has ended, one way or the other. */
async function releaseSource(deps: Deps, copy: Snapshot, operationId: string): Promise<void> {
  if (!copy.copiedFrom) return;
  await releaseSnapshotReader(deps, {
    accountId: copy.accountId,
    snapshotId: copy.copiedFrom.snapshotId,
    operationId,
  });
}

/**
 * Writes the copy's manifest and makes sure every chunk it names is in the target region's store:
 * one a sweep deleted while the copy waited for it is copied again from the source, once.
 * ImageIncompleteError when chunks are still missing after that.
 */
async function wholeCopiedImage(deps: Deps, input: CopyStepInput) {
  const { copy, sourceRegion, sourceId } = await copyAndSource(deps, input);
  const from = { region: sourceRegion, snapshotId: sourceId };
  await deps.imageTransfer.copyManifest(copy.accountId, from, {
    region: copy.region,
    snapshotId: copy.id,
  });
  const target = deps.images.in(copy.region);
  const image = await target.readImage(copy.accountId, copy.id);
  if (!image) throw new ImageIncompleteError(copy.id, 'no manifest is stored');
  const gone = await target.missingObjects(image.chunkKeys);
  if (gone.length > 0) await deps.imageTransfer.copyObjects(from, copy.region, gone);
  const missing = gone.length > 0 ? await target.missingObjects(gone) : [];
  if (missing.length > 0) {
    throw new ImageIncompleteError(copy.id, `${missing.length} chunks are missing`, missing);
  }
  return image;
}

/**
 * copy-snapshot's `RegisterCopy`, once settled: the copy's manifest is written in the target
 * region's store and its image checked whole, the copy becomes `available` (billed from now on,
 * on its own), its source is let go, and the operation succeeds with `Snapshot Available` and
 * `Snapshot Copied` in the same write. A retry after it became available repeats nothing.
 */
export async function registerSnapshotCopy(deps: Deps, input: CopyStepInput): Promise<Snapshot> {
  let copy = await getSnapshot(deps, input);
  if (copy.status !== 'available') {
    copy = await storeAvailable(deps, input, await wholeCopiedImage(deps, input));
  }
  await completeCopy(deps, input, copy);
  return copy;
}

async function completeCopy(deps: Deps, input: CopyStepInput, copy: Snapshot): Promise<void> {
  await startBilling(deps, copy);
  await releaseSource(deps, copy, input.operationId);
  const operation = await getOperation(deps, input);
  if (operation.status !== 'running') return;
  await deps.operations.update(
    operation,
    succeedOperation(operation, toIsoTime(deps.clock.now())),
    {
      events: [
        snapshotAvailableEvent(copy, operation.id),
        snapshotCopiedEvent(copy, operation.id, operation.progress.bytesDone),
      ],
    },
  );
}

/**
 * Ends a copy that will never be available: the copy becomes `failed` with `failure` (never
 * billed, never restorable) unless it is gone or ended already, its source is let go, and its
 * operation fails with `Snapshot Failed` in the same write. Answers the copy as it ends, or null
 * when it was never stored (the request failed before).
 */
export async function endFailedCopy(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'clock'>,
  ids: CopyStepInput & { sourceSnapshotId: string },
  failure: Failure,
): Promise<Snapshot | null> {
  const copy = await retryOnConflict(async () => {
    const current = await deps.snapshots.get(ids.accountId, ids.snapshotId);
    if (current?.status !== 'copying') return current;
    const failed = markSnapshotFailed(current, failure, toIsoTime(deps.clock.now()));
    await deps.snapshots.update(current, failed);
    return failed;
  });
  await releaseSnapshotReader(deps, {
    accountId: ids.accountId,
    snapshotId: ids.sourceSnapshotId,
    operationId: ids.operationId,
  });
  const operation = await deps.operations.get(ids.accountId, ids.operationId);
  if (operation?.status === 'running' && copy !== null) {
    const recorded = copy.error ?? failure;
    await deps.operations.update(
      operation,
      failOperation(operation, recorded, toIsoTime(deps.clock.now())),
      { events: [snapshotFailedEvent(copy, operation.id, recorded)] },
    );
  }
  return copy;
}

/**
 * copy-snapshot's `FailCopy` (and the reconciler's, for a workflow that ended outside its Catch):
 * the copy ends failed (see endFailedCopy) and its manifest in the target region is removed if it
 * was written (the chunks it wrote are the chunk collection's). A copy that became available
 * before a later step failed is completed instead. Retries repeat nothing.
 */
export async function failSnapshotCopy(
  deps: Deps,
  input: CopyStepInput & { error: WorkflowError },
): Promise<{ status: 'failed' | 'available'; error: Failure | null }> {
  const copy = await getSnapshot(deps, input);
  if (copy.status === 'available') {
    await completeCopy(deps, input, copy);
    return { status: 'available', error: null };
  }
  const failure = failureOf(input.error, COPY_FAILED);
  const ended = await endFailedCopy(
    deps,
    { ...input, sourceSnapshotId: copy.copiedFrom?.snapshotId ?? '' },
    failure,
  );
  await deps.images.in(copy.region).deleteManifest(copy.accountId, copy.id);
  return { status: 'failed', error: ended?.error ?? failure };
}
