import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { editSlice, type Slice } from '../slices/slice.ts';
import { getSlice } from './get-slice.ts';
import { applyEdit, type ClientEdit } from './record-edit.ts';

/** What `PATCH /v1/slices/{id}` asks for; a field left out is left as it is. */
export interface UpdateSliceInput extends ClientEdit {
  readonly accountId: string;
  readonly sliceId: string;
  readonly deleteProtected?: boolean;
}

/**
 * Changes a slice's name, labels (merged) or delete protection, in one conditional write, in any
 * status but deleted (not found). The contract has no event for these changes, so none is
 * emitted. Turning protection on while a deletion holds the slice is refused (SliceBusyError). A
 * request that changes nothing writes nothing; a race with a workflow's write is retried on fresh
 * state.
 */
export async function updateSlice(
  deps: Pick<Ports, 'slices' | 'clock'>,
  input: UpdateSliceInput,
): Promise<Slice> {
  return applyEdit(input, {
    // A deleted slice is not found: editSlice refuses it.
    read: () => getSlice(deps, input),
    flag: { path: 'deleteProtected', value: input.deleteProtected },
    flagOf: (slice) => slice.deleteProtected,
    apply: (slice, { name, labels, flag }) =>
      editSlice(slice, { name, labels, deleteProtected: flag }, toIsoTime(deps.clock.now())),
    write: (current, next) => deps.slices.update(current, next),
  });
}
