import type { Ports } from '../ports/ports.ts';
import type { RateLimit } from '../ports/rate-limiter.ts';
import { AccountRateLimitedError } from '../rate-limits/rate-limit-errors.ts';

/**
 * Spends one of the account's request tokens, shared by every route; AccountRateLimitedError,
 * with the whole seconds to wait (at least 1), when the account is past `limit`.
 */
export async function admitAccountRequest(
  deps: Pick<Ports, 'rateLimiter'>,
  input: { accountId: string; limit: RateLimit },
): Promise<void> {
  const decision = await deps.rateLimiter.take(`account#${input.accountId}`, input.limit);
  if (!decision.allowed) {
    throw new AccountRateLimitedError(
      input.accountId,
      Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
    );
  }
}
