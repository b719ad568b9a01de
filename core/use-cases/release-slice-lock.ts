import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { SliceLockNotHeldError, SliceNotFoundError } from '../slices/slice-errors.ts';

/**
 * Gives a slice's lock back if `operationId` still holds it: a lock given back already (a retried
 * step), or never this operation's, is left alone.
 */
export async function releaseSliceLock(
  deps: Pick<Ports, 'slices' | 'clock'>,
  input: { accountId: string; sliceId: string; operationId: string },
): Promise<void> {
  try {
    await deps.slices.releaseLock({
      accountId: input.accountId,
      sliceId: input.sliceId,
      operationId: input.operationId,
      now: toIsoTime(deps.clock.now()),
    });
  } catch (error) {
    if (error instanceof SliceLockNotHeldError || error instanceof SliceNotFoundError) return;
    throw error;
  }
}
