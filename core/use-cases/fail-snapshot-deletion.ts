import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import { finishOperation } from './finish-operation.ts';
import type { SnapshotStepIds } from './snapshot-step-ids.ts';

const DELETION_FAILED: Failure = {
  code: 'SNAPSHOT_DELETION_FAILED',
  message: 'the snapshot could not be deleted yet; it is not billed, and deleting it again resumes',
};

/**
 * delete-snapshot's `FailSnapshotDeletion` fails the operation with a reason. The snapshot stays
 * `deleting`: it is not billed since the request and never restorable, and a new deletion request
 * takes it up again. Answers the failure.
 */
export async function failSnapshotDeletion(
  deps: Pick<Ports, 'operations' | 'clock'>,
  input: SnapshotStepIds & { readonly error: WorkflowError },
): Promise<Failure> {
  const failure = failureOf(input.error, DELETION_FAILED);
  await finishOperation(deps, input, { error: failure }, null);
  return failure;
}
