/** The JSON value of an error thrown by a task, as Step Functions records it. */
export interface TaskErrorInfo {
  error: string;
  cause: string;
}

/**
 * An error a Task state fails with. The runner matches `Retry`/`Catch` on `name` and reports `message`
 * as the cause, so both carry exactly what AWS would put in `Error` and `Cause`.
 */
export function taskError(info: TaskErrorInfo): Error {
  const error = new Error(info.cause);
  error.name = info.error;
  return error;
}

/**
 * An error that ends a task of an execution already stopped: the runner neither retries nor catches it
 * (it reads these two flags), so the execution unwinds at once.
 */
export function executionClosedError(): Error {
  return Object.assign(taskError({ error: 'States.Runtime', cause: 'The execution has ended' }), {
    isRetryable: false,
    isCatchable: false,
  });
}
