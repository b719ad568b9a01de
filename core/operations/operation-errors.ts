import { domainError, illegalTransitionError, notFoundError } from '../shared/domain-error.ts';
import type { OperationStatus } from './operation-status.ts';

/** No operation with this id in the caller's account (another account's looks the same). */
export class OperationNotFoundError extends notFoundError(
  'OperationNotFoundError',
  'OPERATION_NOT_FOUND',
  'operation',
) {}

/** The operation's status does not allow that move (it has finished already). */
export class IllegalOperationTransitionError extends illegalTransitionError<OperationStatus>(
  'IllegalOperationTransitionError',
  'operation',
) {}

/** Only a restore that succeeded can be undone. */
export class OperationNotUndoableError extends domainError(
  'OperationNotUndoableError',
  'OPERATION_NOT_UNDOABLE',
) {
  readonly operationId: string;

  constructor(operationId: string, type: string, status: OperationStatus) {
    super(
      `operation ${operationId} is a ${status} ${type}: only a succeeded slice.restore can be undone`,
    );
    this.operationId = operationId;
  }
}

/** The restore kept no copy of the disk it replaced (`keepCurrent: false`, or keeping it failed). */
export class UndoNotAvailableError extends domainError(
  'UndoNotAvailableError',
  'UNDO_NOT_AVAILABLE',
) {
  readonly operationId: string;

  constructor(operationId: string, reason: string | null) {
    super(
      `restore ${operationId} kept no copy of the disk it replaced` +
        (reason ? `: ${reason}` : ' (it was asked with "keepCurrent": false)'),
    );
    this.operationId = operationId;
  }
}

/** The snapshot that kept the replaced disk has been purged (its time in the recycle bin ended). */
export class UndoExpiredError extends domainError('UndoExpiredError', 'UNDO_EXPIRED') {
  readonly operationId: string;

  constructor(operationId: string, snapshotId: string) {
    super(
      `restore ${operationId} can no longer be undone: snapshot ${snapshotId}, which kept the disk it replaced, has been deleted`,
    );
    this.operationId = operationId;
  }
}
