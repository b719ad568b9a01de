import type { FailureCode } from './error-codes.ts';

/** Why something failed, as users see it: a stable code from the table of codes and a sentence. */
export interface Failure {
  readonly code: FailureCode;
  readonly message: string;
}
