import { mergeLabels, sameLabels } from '../labels/labels.ts';
import type { Ports } from '../ports/ports.ts';
import { InvalidInputError } from '../shared/domain-error.ts';
import { parseName } from '../shared/names.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { editSlice, type Slice } from '../slices/slice.ts';
import { SliceNotFoundError } from '../slices/slice-errors.ts';
import { getSlice } from './get-slice.ts';

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
  const name = input.name === undefined ? undefined : parseName(input.name);
  if (input.deleteProtected !== undefined && typeof input.deleteProtected !== 'boolean') {
    throw new InvalidInputError([{ path: 'deleteProtected', message: 'must be true or false' }]);
  }
  return retryOnConflict(async () => {
    const current = await getSlice(deps, input);
    if (current.status === 'deleted') throw new SliceNotFoundError(input.sliceId);
    const labels =
      input.labels === undefined ? current.labels : mergeLabels(current.labels, input.labels);
    const unchanged =
      (name === undefined || name === current.name) &&
      sameLabels(labels, current.labels) &&
      (input.deleteProtected === undefined || input.deleteProtected === current.deleteProtected);
    const edit = { name, labels, deleteProtected: input.deleteProtected };
    const next = editSlice(current, edit, toIsoTime(deps.clock.now()));
    if (unchanged) return current;
    await deps.slices.update(current, next);
    return next;
  });
}
