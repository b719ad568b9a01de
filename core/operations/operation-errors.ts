import { illegalTransitionError, notFoundError } from '../shared/domain-error.ts';
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
