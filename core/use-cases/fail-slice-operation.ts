import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import type { SliceStepInput } from './confirm-slice-lock.ts';
import { finishOperation } from './finish-operation.ts';
import { releaseSliceLock } from './release-slice-lock.ts';

const OPERATION_FAILED: Failure = {
  code: 'SLICE_OPERATION_FAILED',
  message: 'the operation on the slice failed; the slice is as it was',
};

/**
 * The last step of a failed power change or slice deletion, once the workflow put the power state
 * back. It gives the lock back and fails the operation with a reason users can read. Retries repeat
 * nothing. Answers the failure.
 */
export async function failSliceOperation(
  deps: Pick<Ports, 'slices' | 'operations' | 'clock'>,
  input: SliceStepInput & { readonly error: WorkflowError },
): Promise<Failure> {
  const failure = failureOf(input.error, OPERATION_FAILED);
  await releaseSliceLock(deps, input);
  await finishOperation(deps, input, { error: failure }, null);
  return failure;
}
