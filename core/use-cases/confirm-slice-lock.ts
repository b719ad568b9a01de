import { SliceNotPlacedError } from '../hosts/host-errors.ts';
import type { Ports } from '../ports/ports.ts';
import { SliceLockNotHeldError } from '../slices/slice-errors.ts';
import type { PowerState } from '../slices/slice-status.ts';
import { getSlice } from './get-slice.ts';

/** The slice a slice operation's workflow works on, and the operation. */
export interface SliceStepInput {
  readonly accountId: string;
  readonly sliceId: string;
  readonly operationId: string;
}

/** What a workflow needs to know about the slice it holds. */
export interface HeldSlice {
  /** The host holding the slice's disk: every agent step goes there. */
  readonly hostId: string;
  /** The power state when the lock was taken: what any failure puts back. */
  readonly power: PowerState;
  /** The slice's disk size. */
  readonly diskBytes: number;
}

/**
 * The first step of a slice operation's workflow confirms that the operation holds the lock its
 * request took, and says where the slice lives and which power state to put back. Nothing may be
 * done to a slice whose lock the operation does not hold, so that is SliceLockNotHeldError.
 */
export async function confirmSliceLock(
  deps: Pick<Ports, 'slices'>,
  input: SliceStepInput,
): Promise<HeldSlice> {
  const slice = await getSlice(deps, input);
  if (slice.status !== 'busy' || slice.lock?.operationId !== input.operationId) {
    throw new SliceLockNotHeldError(slice.id, input.operationId, slice.lock?.operationId ?? null);
  }
  if (slice.hostId === null) throw new SliceNotPlacedError(slice.id);
  return { hostId: slice.hostId, power: slice.lock.power, diskBytes: slice.diskBytes };
}
