import type { Operation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { assertSnapshotVerifiable } from '../snapshots/snapshot.ts';
import { getSnapshot } from './get-snapshot.ts';
import { startSnapshotOperation } from './start-snapshot-operation.ts';

const START_FAILED: Failure = {
  code: 'WORKFLOW_START_FAILED',
  message: 'the verification could not be started; nothing was changed',
};

/**
 * Starts reading a snapshot's image back: a `snapshot.verify` operation and its verify-snapshot
 * workflow, which checks every chunk the manifest names against its hash. The snapshot must be the
 * caller's (SnapshotNotFoundError) and its image stored: available or in the recycle bin
 * (SnapshotNotAvailableError, SnapshotBeingDeletedError). A workflow that cannot be started fails
 * the operation and throws.
 */
export async function requestSnapshotVerification(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'workflows' | 'ids' | 'clock'>,
  input: { readonly accountId: string; readonly snapshotId: string },
): Promise<Operation> {
  const snapshot = await getSnapshot(deps, input);
  assertSnapshotVerifiable(snapshot);
  return startSnapshotOperation(deps, {
    type: 'snapshot.verify',
    snapshot,
    operationId: deps.ids.next('operation'),
    startFailed: START_FAILED,
  });
}
