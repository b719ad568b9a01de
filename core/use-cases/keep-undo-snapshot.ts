import { offerUndo } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import { undoTimeOf } from '../settings/account-settings.ts';
import { toIsoTime } from '../shared/time.ts';
import { keepInRecycleBin, type Snapshot } from '../snapshots/snapshot.ts';
import { snapshotRecycledEvent } from '../snapshots/snapshot-events.ts';
import { getAccountSettings } from './get-account-settings.ts';
import { changeOperation } from './get-operation.ts';
import { changeSnapshot, getSnapshot } from './get-snapshot.ts';
import type { UndoStepInput } from './prepare-disk-capture.ts';
import { wholeImage } from './register-snapshot.ts';

type Deps = Pick<Ports, 'snapshots' | 'operations' | 'images' | 'settings' | 'clock'>;

/** Puts the uploaded snapshot into the recycle bin, with `Snapshot Recycled`; once. */
async function recycleUploaded(deps: Deps, input: UndoStepInput): Promise<Snapshot> {
  const ids = { accountId: input.accountId, snapshotId: input.undoSnapshotId };
  const uploaded = await getSnapshot(deps, ids);
  if (uploaded.status === 'recycled') return uploaded;
  const image = await wholeImage(deps, uploaded);
  const settings = await getAccountSettings(deps, input);
  return changeSnapshot(deps, ids, async (current) => {
    if (current.status === 'recycled') return current;
    const now = deps.clock.now();
    const kept = keepInRecycleBin(
      current,
      { sizeBytes: image.usedBytes, manifestKey: image.manifestKey, diskBytes: image.diskBytes },
      {
        now: toIsoTime(now),
        purgeAt: toIsoTime(undoTimeOf(settings, now)),
        operationId: input.operationId,
      },
    );
    await deps.snapshots.update(current, kept, {
      events: [snapshotRecycledEvent(kept, input.operationId)],
    });
    return kept;
  });
}

/**
 * restore-slice's `KeepUndoSnapshot`, once the disk the restore replaced is uploaded. Its image
 * is checked whole (as a snapshot's registration checks it), and the snapshot goes straight into
 * the recycle bin: never billed, purged with the bin at the account's `recycleBinDays` (at least
 * a day, even with the bin off), and the restore's operation shows until when it can be undone. Retries repeat nothing. Answers the kept snapshot.
 */
export async function keepUndoSnapshot(deps: Deps, input: UndoStepInput): Promise<Snapshot> {
  const kept = await recycleUploaded(deps, input);
  await changeOperation(deps, input, async (operation) => {
    if (operation.status !== 'running' || operation.undoUntil || !kept.purgeAt) return;
    const offered = offerUndo(operation, kept.purgeAt, toIsoTime(deps.clock.now()));
    await deps.operations.update(operation, offered);
  });
  return kept;
}
