import { domainError } from '../shared/domain-error.ts';

/** The account has used its requests for now; `retryAfterSeconds` says when to come back. */
export class AccountRateLimitedError extends domainError(
  'AccountRateLimitedError',
  'RATE_LIMITED',
) {
  readonly retryAfterSeconds: number;

  constructor(accountId: string, retryAfterSeconds: number) {
    super(`account ${accountId} is past its request rate; retry in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
