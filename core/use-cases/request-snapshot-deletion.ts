import { failOperation, newOperation, type Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import {
  resumeSnapshotDeletion,
  type Snapshot,
  startSnapshotDeletion,
} from '../snapshots/snapshot.ts';
import { SnapshotBeingDeletedError, SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';
import { getSnapshot } from './get-snapshot.ts';
import { stopBilling } from './stop-billing.ts';

const START_FAILED: Failure = {
  code: 'WORKFLOW_START_FAILED',
  message: 'the deletion could not be started; deleting the snapshot again resumes it',
};

type Deps = Pick<Ports, 'snapshots' | 'operations' | 'usage' | 'workflows' | 'clock' | 'ids'>;

/** A snapshot `deleting` whose deletion is no longer under way: it failed, or never started. */
async function deletionStalled(deps: Deps, snapshot: Snapshot): Promise<boolean> {
  if (snapshot.deletionOperationId === null) return true;
  const operation = await deps.operations.get(snapshot.accountId, snapshot.deletionOperationId);
  return operation?.status !== 'running';
}

/**
 * `DELETE /v1/snapshots/{id}` marks the snapshot `deleting` and stops its billing at this moment,
 * then starts a running `snapshot.delete` operation and the delete-snapshot workflow, which removes
 * the chunks no other snapshot of the account uses. It is refused while a restore or a new slice
 * reads the snapshot (SnapshotInUseError) and while the snapshot is still being taken. A deletion
 * under way is a conflict (SnapshotBeingDeletedError), and one that failed is taken up again. A
 * deleted snapshot is not found.
 */
export async function requestSnapshotDeletion(
  deps: Deps,
  input: { accountId: string; snapshotId: string },
): Promise<Operation> {
  const operationId = deps.ids.next('operation');
  const deleting = await retryOnConflict(async () => {
    const current = await getSnapshot(deps, input);
    if (current.status === 'deleted') throw new SnapshotNotFoundError(current.id);
    const now = toIsoTime(deps.clock.now());
    let next: Snapshot;
    if (current.status === 'deleting') {
      if (!(await deletionStalled(deps, current))) throw new SnapshotBeingDeletedError(current.id);
      next = resumeSnapshotDeletion(current, operationId, now);
    } else {
      next = startSnapshotDeletion(current, now, operationId);
    }
    await deps.snapshots.update(current, next);
    return next;
  });
  // Billing stops at the request, whatever happens to the rest of the deletion.
  await stopBilling(deps, deleting);
  const operation = newOperation({
    id: operationId,
    accountId: input.accountId,
    type: 'snapshot.delete',
    resourceId: deleting.id,
    now: toIsoTime(deps.clock.now()),
  });
  await deps.operations.create(operation);
  try {
    await deps.workflows.start('delete-snapshot', {
      accountId: input.accountId,
      snapshotId: deleting.id,
      operationId,
    });
  } catch (error) {
    // Failed, the deletion is stalled: the next request takes it up again.
    await deps.operations.update(
      operation,
      failOperation(operation, START_FAILED, toIsoTime(deps.clock.now())),
    );
    throw error;
  }
  return operation;
}
