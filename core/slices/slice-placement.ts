import type { Slice } from './slice.ts';
import { IllegalSliceTransitionError } from './slice-errors.ts';

/**
 * Records the host a building slice is placed on. Placing it again on the same host changes
 * nothing (a retried step); a slice placed elsewhere or no longer building cannot move.
 */
export function assignSliceHost(slice: Slice, hostId: string, now: string): Slice {
  if (slice.status !== 'building') {
    throw new IllegalSliceTransitionError(slice.id, slice.status, 'building');
  }
  if (slice.hostId === hostId) return slice;
  if (slice.hostId !== null) {
    throw new Error(`slice ${slice.id} is placed on host ${slice.hostId} already`);
  }
  return { ...slice, hostId, updatedAt: now };
}
