/**
 * What kind of failure a domain error is, independent of any transport: one table at the edge maps
 * it to an HTTP status (invalid 400, not-found 404, conflict 409, gone 410, unprocessable 422,
 * throttled 429).
 */
export type ErrorKind =
  | 'invalid'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'unprocessable'
  | 'throttled';

/**
 * Base of every error the domain raises on purpose. `name` is the class name (the contract that ASL
 * `Retry`/`Catch` match), `code` a stable dotted identifier such as `SLICE.BUSY`.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
}

/** One offending input field: `path` is the field's dotted path as the client sent it. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** The input breaks a rule of the contract; `issues` names every bad field. */
export class InvalidInputError extends DomainError {
  override readonly name: string = 'InvalidInputError';
  readonly code: string = 'REQUEST.INVALID_INPUT';
  readonly kind = 'invalid' as const;
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.issues = issues;
  }
}
