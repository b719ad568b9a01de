/**
 * An error a local AWS endpoint answers in the AWS JSON shape `{ "__type", "message" }`: `type` is
 * the exception name the SDK raises (`ResourceNotFoundException`, `ExecutionDoesNotExist`, ...).
 */
export class ServiceError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = 'ServiceError';
    this.type = type;
    this.status = status;
  }
}

export function validationError(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}
