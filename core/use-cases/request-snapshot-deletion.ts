import { newOperation, type Operation, succeedOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import {
  type AccountSettings,
  purgeTimeOf,
  recycleBinEnabled,
} from '../settings/account-settings.ts';
import { toIsoTime } from '../shared/time.ts';
import {
  markSnapshotRecycled,
  resumeSnapshotDeletion,
  type Snapshot,
  startSnapshotDeletion,
} from '../snapshots/snapshot.ts';
import { SnapshotBeingDeletedError, SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';
import { snapshotRecycledEvent } from '../snapshots/snapshot-events.ts';
import { getAccountSettings } from './get-account-settings.ts';
import { changeSnapshot } from './get-snapshot.ts';
import { launchSnapshotDeletion } from './launch-snapshot-deletion.ts';
import { stopBilling } from './stop-billing.ts';

type Deps = Pick<
  Ports,
  'snapshots' | 'operations' | 'usage' | 'workflows' | 'settings' | 'clock' | 'ids'
>;

/** What a deletion request did: the snapshot as it is now, and the `snapshot.delete` operation. */
export interface SnapshotDeletion {
  readonly snapshot: Snapshot;
  readonly operation: Operation;
}

/** A snapshot `deleting` whose deletion is no longer under way: it failed, or never started. */
async function deletionStalled(deps: Deps, snapshot: Snapshot): Promise<boolean> {
  if (snapshot.deletionOperationId === null) return true;
  const operation = await deps.operations.get(snapshot.accountId, snapshot.deletionOperationId);
  return operation?.status !== 'running';
}

/** Whether the request puts `snapshot` into the recycle bin rather than deleting it for good. */
function goesToRecycleBin(
  snapshot: Snapshot,
  settings: AccountSettings | null,
): settings is AccountSettings {
  return (
    settings !== null &&
    recycleBinEnabled(settings) &&
    (snapshot.status === 'available' || snapshot.status === 'recycled')
  );
}

/**
 * `DELETE /v1/snapshots/{id}`. While the account's recycle bin is on (the default), an available
 * snapshot goes into it. It becomes `recycled`, its billing stops at this moment, its image is kept
 * until `purgeAt`, `Snapshot Recycled` is written with it, and its `snapshot.delete` operation has
 * succeeded already. With `purge`, while the bin is off, and for a failed snapshot, the snapshot is
 * deleted for good instead. It becomes `deleting`, its billing stops at this moment (or stays
 * stopped from when it went into the bin), and a running `snapshot.delete` operation starts the
 * delete-snapshot workflow, which removes the chunks no other snapshot of the account uses. A
 * deletion for good is refused while a restore or a new slice reads the snapshot
 * (SnapshotInUseError) and while it is still being taken. A deletion under way is a conflict
 * (SnapshotBeingDeletedError), and one that failed is taken up again. Deleting a snapshot that is
 * in the bin again without `purge` is SnapshotAlreadyRecycledError, and a deleted snapshot is not
 * found.
 */
export async function requestSnapshotDeletion(
  deps: Deps,
  input: { accountId: string; snapshotId: string; purge?: boolean },
): Promise<SnapshotDeletion> {
  const settings = input.purge ? null : await getAccountSettings(deps, input);
  const operationId = deps.ids.next('operation');
  const next = await changeSnapshot(deps, input, async (current) => {
    if (current.status === 'deleted') throw new SnapshotNotFoundError(current.id);
    const now = deps.clock.now();
    if (goesToRecycleBin(current, settings)) {
      const recycled = markSnapshotRecycled(current, {
        now: toIsoTime(now),
        purgeAt: toIsoTime(purgeTimeOf(settings, now)),
        operationId,
      });
      await deps.snapshots.update(current, recycled, {
        events: [snapshotRecycledEvent(recycled, operationId)],
      });
      return recycled;
    }
    let deleting: Snapshot;
    if (current.status === 'deleting') {
      if (!(await deletionStalled(deps, current))) throw new SnapshotBeingDeletedError(current.id);
      deleting = resumeSnapshotDeletion(current, operationId, toIsoTime(now));
    } else {
      deleting = startSnapshotDeletion(current, toIsoTime(now), operationId);
    }
    await deps.snapshots.update(current, deleting);
    return deleting;
  });
  // Billing stops at the request (or stopped when the snapshot went into the recycle bin),
  // whatever happens to the rest of the deletion.
  await stopBilling(deps, next);
  if (next.status === 'recycled') {
    // Nothing is left to do now. The image stays until the purge, which has its own operation.
    const now = toIsoTime(deps.clock.now());
    const operation = succeedOperation(
      newOperation({
        id: operationId,
        accountId: input.accountId,
        type: 'snapshot.delete',
        resourceId: next.id,
        now,
      }),
      now,
    );
    await deps.operations.create(operation);
    return { snapshot: next, operation };
  }
  const operation = await launchSnapshotDeletion(deps, next, operationId);
  return { snapshot: next, operation };
}
