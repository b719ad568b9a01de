import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { OperationInTheWay } from '../../core/shared/domain-error.ts';
import { type ErrorCode, statusOf } from '../../core/shared/error-codes.ts';

/** One invalid input field: a JSON-pointer-like dotted path and what is wrong with it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** What a problem may carry besides its code and detail. */
export interface ProblemExtras {
  readonly errors?: readonly FieldError[];
  readonly headers?: Record<string, string>;
  /** The operation in the way of a conflict, rendered as `operationId` and `operationType`. */
  readonly inTheWay?: OperationInTheWay;
}

const PROBLEM_TYPE_BASE = 'https://slice-snapshots.dev/problems/';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/**
 * An RFC 9457 problem, thrown anywhere in a handler and rendered by the error middleware. Its
 * `code` (from the table of codes) decides its status, so a status never goes out without a code.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly inTheWay: OperationInTheWay | undefined;

  constructor(code: ErrorCode, detail: string, extras: ProblemExtras = {}) {
    super(detail);
    this.code = code;
    this.status = statusOf(code);
    this.title = TITLES[this.status] ?? 'Error';
    this.errors = extras.errors;
    this.headers = extras.headers;
    this.inTheWay = extras.inTheWay;
  }
}

/** A problem with the status of its code and the standard title for that status. */
export function problem(code: ErrorCode, detail: string, extras: ProblemExtras = {}): HttpProblem {
  return new HttpProblem(code, detail, extras);
}

/** Renders a problem as an API Gateway HTTP API response. */
export function problemResponse(
  error: HttpProblem,
  instance?: string,
): APIGatewayProxyStructuredResultV2 {
  const slug = error.title.toLowerCase().replaceAll(' ', '-');
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/problem+json', ...error.headers },
    body: JSON.stringify({
      type: `${PROBLEM_TYPE_BASE}${slug}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.inTheWay
        ? { operationId: error.inTheWay.operationId, operationType: error.inTheWay.operationType }
        : {}),
      ...(instance ? { instance } : {}),
      ...(error.errors?.length ? { errors: error.errors } : {}),
    }),
  };
}
