import type { OperationType } from '../operations/operation-type.ts';

/** An operation letting go of its slice's lock at `now`. */
export interface SliceLockRelease {
  readonly accountId: string;
  readonly sliceId: string;
  readonly operationId: string;
  readonly now: string;
}

/** An operation asking for its slice's lock at `now`. */
export interface SliceLockRequest extends SliceLockRelease {
  readonly operationType: OperationType;
}
