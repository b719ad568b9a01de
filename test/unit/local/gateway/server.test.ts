import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAGE_THROTTLE } from '../../../../blueprint/facts.ts';
import { openLocalIdentity } from '../../../../local/gateway/identity.ts';
import { localGatewayFor } from './local-gateway.ts';

// The first request of a route loads its handler and the whole composition root, which takes
// seconds on a loaded machine.
describe('local gateway', { timeout: 30_000 }, () => {
  const local = localGatewayFor('gateway-test-');

  const getRegions = (authorization?: string) =>
    fetch(`${local.gateway.url}/v1/regions`, {
      headers: authorization ? { authorization } : {},
    });

  async function expectUnauthorized(response: Response, detail: RegExp) {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { status: number; code: string; detail: string };
    expect(body.status).toBe(401);
    expect(body.code).toBe('UNAUTHORIZED');
    expect(body.detail).toMatch(detail);
  }

  it('answers a verified token with the handler result', async () => {
    const token = await local.identity.mintToken({ account: 'acct-a' });

    const response = await getRegions(`Bearer ${token}`);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<{ id: string }> };
    expect(body.items.map((region) => region.id)).toContain('fra1');
  });

  it('refuses a request without a token', async () => {
    await expectUnauthorized(await getRegions(), /bearer token is required/);
  });

  it('refuses a token signed by another key', async () => {
    const other = await openLocalIdentity(join(local.dir, 'other-key.json'));
    const forged = await other.mintToken({ account: 'acct-a' });

    await expectUnauthorized(await getRegions(`Bearer ${forged}`), /refused/);
  });

  it('refuses an expired token', async () => {
    const expired = await local.identity.mintToken({ account: 'acct-a', ttlSeconds: -60 });

    await expectUnauthorized(await getRegions(`Bearer ${expired}`), /exp/);
  });

  it('refuses a valid token that carries no account', async () => {
    const anonymous = await local.identity.mintToken({});

    await expectUnauthorized(await getRegions(`Bearer ${anonymous}`), /account/);
  });

  it('serves the OpenAPI document without a token', async () => {
    const response = await fetch(`${local.gateway.url}/openapi.json`);

    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/v1/regions');
  });

  it('answers an unknown route with a problem', async () => {
    const response = await fetch(`${local.gateway.url}/v1/nothing-here`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });
});

describe('local gateway throttling', { timeout: 30_000 }, () => {
  const local = localGatewayFor('gateway-throttle-test-');

  it('answers 429 past the stage limits of CDK, before the authorizer, per route', async () => {
    const call = async (path: string) => {
      const response = await fetch(`${local.gateway.url}${path}`);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.json(),
      };
    };
    const answers: Array<Awaited<ReturnType<typeof call>>> = [];

    // Batches far faster than the refill rate, until the route's bucket runs dry (bounded).
    while (
      answers.length < 10 * STAGE_THROTTLE.burstLimit &&
      !answers.some((a) => a.status === 429)
    ) {
      answers.push(...(await Promise.all(Array.from({ length: 50 }, () => call('/v1/regions')))));
    }
    const otherRoute = await call('/v1/slices');

    const refused = answers.find((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 401).length).toBeGreaterThanOrEqual(
      STAGE_THROTTLE.burstLimit,
    );
    expect(refused).toMatchObject({
      type: 'application/problem+json',
      body: { status: 429, code: 'RATE_LIMITED' },
    });
    expect(otherRoute.status).toBe(401);
  });
});
