import { failOperation, newOperation, type Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';

const START_FAILED: Failure = {
  code: 'WORKFLOW_START_FAILED',
  message: 'the deletion could not be started; deleting the snapshot again resumes it',
};

/**
 * Stores the running `snapshot.delete` operation of a snapshot already marked `deleting` by
 * `operationId`, then starts its delete-snapshot workflow. A workflow that cannot be started fails
 * the operation (the deletion is then stalled, and the next request takes it up) and throws.
 */
export async function launchSnapshotDeletion(
  deps: Pick<Ports, 'operations' | 'workflows' | 'clock'>,
  deleting: Snapshot,
  operationId: string,
): Promise<Operation> {
  const operation = newOperation({
    id: operationId,
    accountId: deleting.accountId,
    type: 'snapshot.delete',
    resourceId: deleting.id,
    now: toIsoTime(deps.clock.now()),
  });
  await deps.operations.create(operation);
  try {
    await deps.workflows.start('delete-snapshot', {
      accountId: deleting.accountId,
      snapshotId: deleting.id,
      operationId,
    });
  } catch (error) {
    await deps.operations.update(
      operation,
      failOperation(operation, START_FAILED, toIsoTime(deps.clock.now())),
    );
    throw error;
  }
  return operation;
}
