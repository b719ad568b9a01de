import { EVENT } from '../events/event-types.ts';
import { newOperation, type Operation, succeedOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { assertSliceDeletable, markSliceDeleted } from '../slices/slice.ts';
import { SliceNotFoundError } from '../slices/slice-errors.ts';
import { getSlice } from './get-slice.ts';
import { startSliceOperation } from './start-slice-operation.ts';

type Deps = Pick<Ports, 'slices' | 'operations' | 'workflows' | 'clock' | 'ids'>;

/**
 * A slice whose build failed has no disk left on any host: it is deleted at once, and its
 * operation is born succeeded.
 */
async function deleteFailedSlice(deps: Deps, accountId: string, sliceId: string) {
  const now = toIsoTime(deps.clock.now());
  const operation = newOperation({
    id: deps.ids.next('operation'),
    accountId,
    type: 'slice.delete',
    resourceId: sliceId,
    now,
  });
  const slice = await retryOnConflict(async () => {
    const current = await getSlice(deps, { accountId, sliceId });
    const deleted = markSliceDeleted(current, now);
    await deps.slices.update(current, deleted);
    return deleted;
  });
  const succeeded = succeedOperation(operation, now);
  await deps.operations.create(succeeded, {
    events: [
      {
        detailType: EVENT.sliceDeleted,
        detail: { accountId, sliceId, operationId: operation.id, name: slice.name },
      },
    ],
  });
  return succeeded;
}

/**
 * `DELETE /v1/slices/{id}` starts a running `slice.delete` operation and the delete-slice workflow,
 * which powers the slice off and deletes its disk on its host. It holds the slice's lock, so it is
 * refused with 409 while another operation holds it or while the slice is being built. The slice's
 * snapshots stay listed, billed and restorable into a new slice. A deleted slice is not found. A
 * slice with delete protection on is refused (SliceDeleteProtectedError), here and again in the
 * lock's conditional write, so a protection set between the two is never passed.
 */
export async function requestSliceDeletion(
  deps: Deps,
  input: { accountId: string; sliceId: string },
): Promise<Operation> {
  const slice = await getSlice(deps, input);
  if (slice.status === 'deleted') throw new SliceNotFoundError(input.sliceId);
  assertSliceDeletable(slice);
  if (slice.status === 'error') return deleteFailedSlice(deps, input.accountId, slice.id);
  const { operation } = await startSliceOperation(deps, {
    accountId: input.accountId,
    sliceId: slice.id,
    type: 'slice.delete',
    workflow: 'delete-slice',
  });
  return operation;
}
