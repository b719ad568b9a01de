import type { OperationType } from '../operations/operation-type.ts';
import type { ErrorCode } from './error-codes.ts';

/** The operation that holds what a request wanted (a slice's lock, a snapshot it reads). */
export interface OperationInTheWay {
  readonly operationId: string;
  readonly operationType: OperationType;
}

/**
 * Base of every error raised on purpose: the domain's, the host agents' and the billing run's.
 * `code` is the stable identifier from the table in `error-codes.ts`, which also gives its HTTP
 * status. `name` is a literal set by each error, never derived from the class (bundles minify
 * class names): it is what the state machines' `Retry` and `Catch` match.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** The operation in the way, when one caused the error; clients see it beside the code. */
  readonly inTheWay: OperationInTheWay | undefined = undefined;
}

/**
 * The base class of one error: its `name` and `code` set once, so that the error itself only
 * says what it carries and how its message reads. `class SliceNotFoundError extends
 * domainError('SliceNotFoundError', 'SLICE_NOT_FOUND') { … }`.
 */
export function domainError(name: string, code: ErrorCode) {
  return class extends DomainError {
    // Known without an error at hand: a workflow's `Catch` hands over only the error's name.
    static readonly errorName: string = name;
    static readonly errorCode: ErrorCode = code;
    override readonly name: string = name;
    readonly code: ErrorCode = code;
  };
}

/**
 * The base class of a record's "not found" error: `<noun> <id> not found`. Another account's
 * record answers the same, so the message never tells whether it exists.
 */
export function notFoundError(name: string, code: ErrorCode, noun: string) {
  return class extends domainError(name, code) {
    /** The id the caller asked for. */
    readonly id: string;

    constructor(id: string) {
      super(`${noun} ${id} not found`);
      this.id = id;
    }
  };
}

/** The base class of a record's illegal move between two of its statuses `S`. */
export function illegalTransitionError<S extends string>(name: string, noun: string) {
  return class extends domainError(name, 'ILLEGAL_TRANSITION') {
    readonly from: S;
    readonly to: S;

    constructor(id: string, from: S, to: S) {
      super(`${noun} ${id} is ${from}: it cannot become ${to}`);
      this.from = from;
      this.to = to;
    }
  };
}

/** One offending input field: `path` is the field's dotted path as the client sent it. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** The input breaks a rule of the contract; `issues` names every bad field. */
export class InvalidInputError extends domainError('InvalidInputError', 'VALIDATION_FAILED') {
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.issues = issues;
  }
}

/**
 * The base class of an input error with a name and code of its own (a region, a month, a label
 * selector), answered as the contract's input errors are: 400 with every bad field named.
 */
export function invalidInputError(name: string, code: ErrorCode) {
  return class extends InvalidInputError {
    static override readonly errorName: string = name;
    static override readonly errorCode: ErrorCode = code;
    override readonly name: string = name;
    override readonly code: ErrorCode = code;
  };
}
