import type { Ports } from '../ports/ports.ts';
import { isResourceId } from '../shared/ids.ts';
import type { Slice } from '../slices/slice.ts';
import { SliceNotFoundError } from '../slices/slice-errors.ts';

/**
 * One slice of the caller's account (deleted ones too, with their status); SliceNotFoundError when
 * it is missing, of another account, or the id is not a slice id.
 */
export async function getSlice(
  deps: Pick<Ports, 'slices'>,
  input: { accountId: string; sliceId: string },
): Promise<Slice> {
  const slice = isResourceId('slice', input.sliceId)
    ? await deps.slices.get(input.accountId, input.sliceId)
    : null;
  if (!slice) throw new SliceNotFoundError(input.sliceId);
  return slice;
}
