import type { Ports } from '../ports/ports.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { editSlice, type Slice } from '../slices/slice.ts';
import { SliceNotFoundError } from '../slices/slice-errors.ts';
import { getSlice } from './get-slice.ts';
import { checkedEdit, editedLabels } from './record-edit.ts';

/** What `PATCH /v1/slices/{id}` asks for; a field left out is left as it is. */
export interface UpdateSliceInput {
  readonly accountId: string;
  readonly sliceId: string;
  readonly name?: string;
  /** Merged into the slice's labels: a key set to null is removed, others are kept. */
  readonly labels?: Readonly<Record<string, string | null>>;
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
  const edit = checkedEdit(input, { path: 'deleteProtected', value: input.deleteProtected });
  return retryOnConflict(async () => {
    const current = await getSlice(deps, input);
    if (current.status === 'deleted') throw new SliceNotFoundError(input.sliceId);
    const { labels, unchanged } = editedLabels(current, current.deleteProtected, edit);
    const { name } = edit;
    // The domain rules refuse an edit of a record in a state that allows none, changed or not.
    const next = editSlice(
      current,
      { name, labels, deleteProtected: edit.flag },
      toIsoTime(deps.clock.now()),
    );
    if (unchanged) return current;
    await deps.slices.update(current, next);
    return next;
  });
}
