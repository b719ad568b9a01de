import { AccountRateLimitedError } from '../../core/rate-limits/rate-limit-errors.ts';
import { DomainError, InvalidInputError } from '../../core/shared/domain-error.ts';
import { statusOf } from '../../core/shared/error-codes.ts';
import { HttpProblem, problem } from './problem.ts';

/** Middy's own HTTP errors (body parser): a status and the middleware that threw. */
function middyStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Maps any thrown value to the problem users see; undefined means an unexpected fault, answered
 * 500 `INTERNAL`. A domain error keeps its code and, for a conflict caused by an operation, names
 * that operation. Domain errors whose code means a server-side failure (a host unreachable, a
 * billing run incomplete) are faults here too: their messages may name hosts and are not shown.
 */
export function toProblem(
  error: unknown,
  issuesIn: 'body' | 'query' = 'body',
): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof AccountRateLimitedError) {
    return problem(error.code, error.message, {
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    });
  }
  if (error instanceof DomainError) {
    if (statusOf(error.code) >= 500) return undefined;
    // Core issues name fields as the client sent them; the wire says where (body or query).
    const issues = error instanceof InvalidInputError ? error.issues : undefined;
    const errors = issues?.map((issue) => ({
      path: `${issuesIn}.${issue.path}`,
      message: issue.message,
    }));
    return problem(error.code, error.message, {
      ...(errors ? { errors } : {}),
      ...(error.inTheWay ? { inTheWay: error.inTheWay } : {}),
    });
  }
  const status = middyStatus(error);
  if (status === 415) {
    return problem(
      'UNSUPPORTED_MEDIA_TYPE',
      'The request body must be JSON (Content-Type: application/json)',
    );
  }
  if (status === 422) {
    // The JSON body parser says 422; a body that is not JSON at all is a client syntax error.
    return problem('MALFORMED_JSON', 'The request body is not valid JSON');
  }
  if (status === 413) return problem('BODY_TOO_LARGE', 'The request body is too large');
  return undefined;
}
