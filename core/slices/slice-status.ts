import type { OperationType } from '../operations/operation-type.ts';

/** Slice statuses of CONTRACT.md. `busy` means an operation holds the slice's lock. */
export type SliceStatus = 'building' | 'active' | 'busy' | 'error' | 'deleted';

/** Whether the slice's VM runs. */
export type PowerState = 'on' | 'off';

/**
 * Who holds a busy slice: one operation at a time. `power` is the power state when the lock was
 * taken, the state that any failure must put back.
 */
export interface SliceLock {
  readonly operationId: string;
  readonly operationType: OperationType;
  readonly power: PowerState;
}
