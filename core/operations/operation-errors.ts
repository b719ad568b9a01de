import { DomainError } from '../shared/domain-error.ts';
import type { OperationStatus } from './operation-status.ts';

/** No operation with this id in the caller's account (another account's looks the same). */
export class OperationNotFoundError extends DomainError {
  override readonly name = 'OperationNotFoundError';
  readonly code = 'OPERATION.NOT_FOUND';
  readonly kind = 'not-found' as const;
  readonly operationId: string;

  constructor(operationId: string) {
    super(`operation ${operationId} not found`);
    this.operationId = operationId;
  }
}

/** The operation's status does not allow that move (it has finished already). */
export class IllegalOperationTransitionError extends DomainError {
  override readonly name = 'IllegalOperationTransitionError';
  readonly code = 'OPERATION.ILLEGAL_TRANSITION';
  readonly kind = 'conflict' as const;
  readonly from: OperationStatus;
  readonly to: OperationStatus;

  constructor(operationId: string, from: OperationStatus, to: OperationStatus) {
    super(`operation ${operationId} is ${from}: it cannot become ${to}`);
    this.from = from;
    this.to = to;
  }
}
