import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** One invalid input field: a JSON-pointer-like dotted path and what is wrong with it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An RFC 9457 problem, thrown anywhere in a handler and rendered by the error middleware. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  readonly title: string;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  /** A stable, upper snake case identifier of the problem (e.g. `RATE_LIMITED`), when it has one. */
  readonly code: string | undefined;

  constructor(options: {
    status: number;
    title: string;
    detail: string;
    errors?: readonly FieldError[];
    headers?: Record<string, string>;
    code?: string;
  }) {
    super(options.detail);
    this.status = options.status;
    this.title = options.title;
    this.errors = options.errors;
    this.headers = options.headers;
    this.code = options.code;
  }
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

/** A problem with the standard title for its status. */
export function problem(
  status: number,
  detail: string,
  extra: { errors?: readonly FieldError[]; headers?: Record<string, string>; code?: string } = {},
): HttpProblem {
  return new HttpProblem({ status, title: TITLES[status] ?? 'Error', detail, ...extra });
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
      ...(error.code ? { code: error.code } : {}),
      ...(instance ? { instance } : {}),
      ...(error.errors?.length ? { errors: error.errors } : {}),
    }),
  };
}
