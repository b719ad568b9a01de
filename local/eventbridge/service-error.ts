/**
 * An error answered in the AWS JSON 1.1 shape `{ "__type", "message" }`: `type` is the exception
 * name the SDK raises (`ResourceNotFoundException`, `InvalidEventPatternException`, ...).
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
