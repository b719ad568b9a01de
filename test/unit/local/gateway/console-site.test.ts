import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConsoleSite } from '../../../../local/gateway/console-site.ts';
import { localGatewayFor } from './local-gateway.ts';

describe('the console on the local gateway', () => {
  const local = localGatewayFor('console-site-test-', (dir, identity) => {
    const site = join(dir, 'dist');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(site, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
    return createConsoleSite({ directory: site, defaultAccount: 'acct-local', identity });
  });

  it('answers any address of the app with index.html, under the strict security headers', async () => {
    const response = await fetch(`${local.gateway.url}/operations/op_1`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>console</title>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves built assets as immutable, and a missing one as 404', async () => {
    const asset = await fetch(`${local.gateway.url}/assets/index-abc.js`);
    const missing = await fetch(`${local.gateway.url}/assets/gone.js`);

    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(missing.status).toBe(404);
  });

  it('never serves a file outside the build', async () => {
    const response = await fetch(`${local.gateway.url}/assets/..%2F..%2Fsecret.txt`);

    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for the browser');
  });

  it('names the local identity provider in /config.json', async () => {
    const response = await fetch(`${local.gateway.url}/config.json`);

    expect(await response.json()).toEqual({
      apiUrl: '',
      auth: { kind: 'local', signInUrl: '/local/sign-in', defaultAccount: 'acct-local' },
    });
  });

  it('signs in any well-formed account with a token the gateway accepts', async () => {
    const signIn = await fetch(`${local.gateway.url}/local/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ account: 'acct-9' }),
    });
    const { idToken } = (await signIn.json()) as { idToken: string };
    const refused = await fetch(`${local.gateway.url}/local/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ account: '../etc' }),
    });

    expect((await local.identity.verify(idToken))['custom:account']).toBe('acct-9');
    const regions = await fetch(`${local.gateway.url}/v1/regions`, {
      headers: { authorization: `Bearer ${idToken}` },
    });
    expect(regions.status).toBe(200);
    expect(refused.status).toBe(400);
  });

  it('leaves unknown API paths to the API: problem+json, not the app', async () => {
    const response = await fetch(`${local.gateway.url}/v1/nowhere`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
