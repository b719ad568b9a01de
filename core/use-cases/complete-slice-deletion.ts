import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { markSliceDeleted, type Slice } from '../slices/slice.ts';
import { sliceDeletedEvent } from '../slices/slice-events.ts';
import type { SliceStepInput } from './confirm-slice-lock.ts';
import { finishOperation } from './finish-operation.ts';
import { changeSlice } from './get-slice.ts';

/**
 * delete-slice's `CompleteSliceDeletion`, once the host deleted the disk. The slice becomes
 * `deleted` (its lock goes with it), its place on the host is given back, the operation succeeds
 * and `Slice Deleted` is emitted. Its snapshots are untouched. Retries repeat nothing.
 */
export async function completeSliceDeletion(
  deps: Pick<Ports, 'slices' | 'hostLoad' | 'operations' | 'clock'>,
  input: SliceStepInput,
): Promise<Slice> {
  const slice = await changeSlice(deps, input, async (current) => {
    if (current.status === 'deleted') return current;
    const deleted = markSliceDeleted(current, toIsoTime(deps.clock.now()), input.operationId);
    await deps.slices.update(current, deleted);
    return deleted;
  });
  if (slice.hostId !== null) await deps.hostLoad.release(slice.hostId, slice.id);
  await finishOperation(deps, input, { error: null }, sliceDeletedEvent(slice, input.operationId));
  return slice;
}
