import { AccountRateLimitedError } from '../../core/rate-limits/rate-limit-errors.ts';
import { type HttpProblem, problem } from './problem.ts';

/** The HTTP status of each kind of domain error (core errors carry a `kind`, not a status). */
const STATUS_BY_KIND: Record<string, number> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  throttled: 429,
};

interface DomainLikeError {
  name: string;
  message: string;
  code: string;
  kind: string;
  issues?: ReadonlyArray<{ path: string; message: string }>;
}

function isDomainError(error: unknown): error is DomainLikeError {
  return (
    error instanceof Error &&
    typeof (error as Partial<DomainLikeError>).kind === 'string' &&
    typeof (error as Partial<DomainLikeError>).code === 'string'
  );
}

/** Middy's own HTTP errors (body parser): a status and the middleware that threw. */
function middyStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Maps any thrown value to the problem users see; undefined means an unexpected fault (500). */
export function toProblem(
  error: unknown,
  issuesIn: 'body' | 'query' = 'body',
): HttpProblem | undefined {
  if (error instanceof Error && error.name === 'HttpProblem') return error as HttpProblem;
  if (error instanceof AccountRateLimitedError) {
    return problem(429, error.message, {
      code: error.code,
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    });
  }
  if (isDomainError(error)) {
    const status = STATUS_BY_KIND[error.kind];
    if (!status) return undefined;
    // Core issues name fields as the client sent them; the wire says where (body or query).
    const errors = error.issues?.map((issue) => ({
      path: `${issuesIn}.${issue.path}`,
      message: issue.message,
    }));
    return problem(status, error.message, errors ? { errors } : {});
  }
  const status = middyStatus(error);
  if (status === 415) {
    return problem(415, 'The request body must be JSON (Content-Type: application/json)');
  }
  if (status === 422) {
    // The JSON body parser says 422; a body that is not JSON at all is a client syntax error.
    return problem(400, 'The request body is not valid JSON');
  }
  if (status === 413) return problem(413, 'The request body is too large');
  return undefined;
}
