import { domainError } from '../shared/domain-error.ts';
import type { OperationStatus } from './operation-status.ts';

/** No operation with this id in the caller's account (another account's looks the same). */
export class OperationNotFoundError extends domainError(
  'OperationNotFoundError',
  'OPERATION_NOT_FOUND',
) {
  readonly operationId: string;

  constructor(operationId: string) {
    super(`operation ${operationId} not found`);
    this.operationId = operationId;
  }
}

/** The operation's status does not allow that move (it has finished already). */
export class IllegalOperationTransitionError extends domainError(
  'IllegalOperationTransitionError',
  'ILLEGAL_TRANSITION',
) {
  readonly from: OperationStatus;
  readonly to: OperationStatus;

  constructor(operationId: string, from: OperationStatus, to: OperationStatus) {
    super(`operation ${operationId} is ${from}: it cannot become ${to}`);
    this.from = from;
    this.to = to;
  }
}
