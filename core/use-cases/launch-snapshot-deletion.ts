import type { Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { startSnapshotOperation } from './start-snapshot-operation.ts';

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
  return startSnapshotOperation(deps, {
    type: 'snapshot.delete',
    snapshot: deleting,
    operationId,
    startFailed: START_FAILED,
  });
}
