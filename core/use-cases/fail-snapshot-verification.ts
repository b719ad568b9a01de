import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import { finishOperation } from './finish-operation.ts';

const VERIFICATION_FAILED: Failure = {
  code: 'WORKFLOW_FAILED',
  message: 'the verification could not read the image to the end; the snapshot is as it was',
};

/**
 * verify-snapshot's `FailVerification` (and the reconciler, for an execution that ended outside
 * its `Catch`): the operation fails with a reason; the snapshot keeps its previous `verifyState`,
 * since nothing was found. Answers the failure.
 */
export async function failSnapshotVerification(
  deps: Pick<Ports, 'operations' | 'clock'>,
  input: {
    readonly accountId: string;
    readonly operationId: string;
    readonly error: WorkflowError;
  },
): Promise<Failure> {
  const failure = failureOf(input.error, VERIFICATION_FAILED);
  await finishOperation(deps, input, { error: failure }, null);
  return failure;
}
