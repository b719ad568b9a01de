/** One bad input field, as the API names it (`body.name`). */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * What the API answers on an error: RFC 9457 problem+json, with a stable `code` and, when another
 * operation is in the way, `operationId` (and `operationType`). Older deployments send neither,
 * so every member is optional.
 */
export interface ProblemBody {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly code?: string;
  readonly operationId?: string;
  readonly operationType?: string;
  readonly errors?: readonly FieldProblem[];
}

const OPERATION_ID = /\bop_[0-9A-HJKMNP-TV-Z]{26}\b/;

/** A failed API call: the problem the API answered, or status 0 when it could not be reached. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  readonly status: number;
  readonly body: ProblemBody;
  /** From `Retry-After`, when the answer said when to try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ProblemBody, retryAfterSeconds?: number) {
    super(body.detail ?? body.title ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static fromResponse(response: Response, error: unknown): ApiProblem {
    const body: ProblemBody =
      typeof error === 'object' && error !== null
        ? (error as ProblemBody)
        : { detail: typeof error === 'string' && error ? error : response.statusText };
    const retryAfter = Number(response.headers.get('retry-after'));
    return new ApiProblem(
      response.status,
      body,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }

  static unreachable(cause: unknown): ApiProblem {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new ApiProblem(0, { detail: reason });
  }

  /** The stable code, when the API sent one. */
  get code(): string | undefined {
    return this.body.code;
  }

  /**
   * The operation in the way of a conflict: the problem's `operationId`, or else the operation id
   * its `detail` names (what deployments without the member say).
   */
  get operationInTheWay(): string | undefined {
    if (this.body.operationId) return this.body.operationId;
    if (this.status !== 409) return undefined;
    return OPERATION_ID.exec(this.body.detail ?? '')?.[0];
  }
}
