import { failOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { toIsoTime } from '../shared/time.ts';
import { failSliceBuild } from '../slices/slice.ts';
import { sliceCreationFailedEvent } from '../slices/slice-events.ts';
import { failureOf, type WorkflowError } from '../workflows/workflow-failure.ts';
import { getOperation } from './get-operation.ts';
import { changeSlice } from './get-slice.ts';
import { releaseSourceSnapshot } from './snapshot-readers.ts';

/** The slice whose build failed, its operation, and the error its workflow caught. */
export interface FailSliceCreationInput {
  readonly accountId: string;
  readonly sliceId: string;
  readonly operationId: string;
  readonly error: WorkflowError;
}

const BUILD_FAILED: Failure = {
  code: 'SLICE_BUILD_FAILED',
  message: 'the slice could not be built',
};

/**
 * Ends a failed build, after its host's disk was released. The slice goes to `error` with a reason
 * users can read, its place on the host is given back, the snapshot it was made from is no longer
 * read, its operation fails and `Slice Creation Failed` is emitted. A retried call repeats nothing
 * that is done and emits nothing more once the operation has failed. Answers the failure recorded.
 */
export async function failSliceCreation(
  deps: Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'hostLoad' | 'clock'>,
  input: FailSliceCreationInput,
): Promise<Failure> {
  const failure = failureOf(input.error, BUILD_FAILED);
  const slice = await changeSlice(deps, input, async (current) => {
    if (current.status === 'error') return current;
    const failed = failSliceBuild(current, failure, toIsoTime(deps.clock.now()));
    await deps.slices.update(current, failed);
    return failed;
  });
  if (slice.hostId !== null) await deps.hostLoad.release(slice.hostId, slice.id);
  await releaseSourceSnapshot(deps, slice, input.operationId);
  const operation = await getOperation(deps, input);
  if (operation.status === 'failed') return operation.error ?? failure;
  const failedOperation = failOperation(operation, failure, toIsoTime(deps.clock.now()));
  await deps.operations.update(operation, failedOperation, {
    events: [sliceCreationFailedEvent(slice, operation.id, failure)],
  });
  return failure;
}
