import { describe, expect, it } from 'vitest';
import { createMemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { AccountRateLimitedError } from '../../../../core/rate-limits/rate-limit-errors.ts';
import { admitAccountRequest } from '../../../../core/use-cases/admit-account-request.ts';

const LIMIT = { perSecond: 2, burst: 3 };

describe('admitAccountRequest', () => {
  it('admits an account up to its burst, then refuses with whole seconds to wait', async () => {
    const ports = createMemoryPorts();
    for (let i = 0; i < LIMIT.burst; i++) {
      await admitAccountRequest(ports, { accountId: 'acct-a', limit: LIMIT });
    }

    const refusal = admitAccountRequest(ports, { accountId: 'acct-a', limit: LIMIT });

    await expect(refusal).rejects.toBeInstanceOf(AccountRateLimitedError);
    await expect(refusal).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 1,
    });
  });

  it('still admits another account while one is refused', async () => {
    const ports = createMemoryPorts();
    for (let i = 0; i < LIMIT.burst; i++) {
      await admitAccountRequest(ports, { accountId: 'acct-a', limit: LIMIT });
    }

    await expect(
      admitAccountRequest(ports, { accountId: 'acct-b', limit: LIMIT }),
    ).resolves.toBeUndefined();
  });

  it('admits the account again once its bucket has refilled', async () => {
    const ports = createMemoryPorts();
    for (let i = 0; i < LIMIT.burst; i++) {
      await admitAccountRequest(ports, { accountId: 'acct-a', limit: LIMIT });
    }
    ports.clock.advanceSeconds(0.5);

    await expect(
      admitAccountRequest(ports, { accountId: 'acct-a', limit: LIMIT }),
    ).resolves.toBeUndefined();
  });
});
