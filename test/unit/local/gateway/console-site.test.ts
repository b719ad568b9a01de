import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../../blueprint/facts.ts';
import { FUNCTIONS } from '../../../../infra/catalog.ts';
import { createConsoleSite } from '../../../../local/gateway/console-site.ts';
import { type LocalIdentity, openLocalIdentity } from '../../../../local/gateway/identity.ts';
import { type LocalGateway, startGateway } from '../../../../local/gateway/server.ts';
import { createLocalLambdas } from '../../../../local/lambdas.ts';

describe('the console on the local gateway', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-site-test-'));
  const site = join(dir, 'dist');
  let gateway: LocalGateway;
  let identity: LocalIdentity;
  const saved = process.env[ENV.accountRateLimitPerSecond];

  beforeAll(async () => {
    process.env[ENV.accountRateLimitPerSecond] = '0';
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(site, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
    identity = await openLocalIdentity(join(dir, 'key.json'));
    gateway = await startGateway({
      port: 0,
      functions: FUNCTIONS,
      lambdas: createLocalLambdas(FUNCTIONS),
      identity,
      console: createConsoleSite({ directory: site, defaultAccount: 'acct-local', identity }),
    });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env[ENV.accountRateLimitPerSecond];
    else process.env[ENV.accountRateLimitPerSecond] = saved;
  });

  it('answers any address of the app with index.html, under the strict security headers', async () => {
    const response = await fetch(`${gateway.url}/operations/op_1`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>console</title>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves built assets as immutable, and a missing one as 404', async () => {
    const asset = await fetch(`${gateway.url}/assets/index-abc.js`);
    const missing = await fetch(`${gateway.url}/assets/gone.js`);

    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(missing.status).toBe(404);
  });

  it('never serves a file outside the build', async () => {
    const response = await fetch(`${gateway.url}/assets/..%2F..%2Fsecret.txt`);

    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for the browser');
  });

  it('names the local identity provider in /config.json', async () => {
    const response = await fetch(`${gateway.url}/config.json`);

    expect(await response.json()).toEqual({
      apiUrl: '',
      auth: { kind: 'local', signInUrl: '/local/sign-in', defaultAccount: 'acct-local' },
    });
  });

  it('signs in any well-formed account with a token the gateway accepts', async () => {
    const signIn = await fetch(`${gateway.url}/local/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ account: 'acct-9' }),
    });
    const { idToken } = (await signIn.json()) as { idToken: string };
    const refused = await fetch(`${gateway.url}/local/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ account: '../etc' }),
    });

    expect((await identity.verify(idToken))['custom:account']).toBe('acct-9');
    const regions = await fetch(`${gateway.url}/v1/regions`, {
      headers: { authorization: `Bearer ${idToken}` },
    });
    expect(regions.status).toBe(200);
    expect(refused.status).toBe(400);
  });

  it('leaves unknown API paths to the API: problem+json, not the app', async () => {
    const response = await fetch(`${gateway.url}/v1/nowhere`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
