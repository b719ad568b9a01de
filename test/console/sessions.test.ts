import { afterEach, describe, expect, it, vi } from 'vitest';
import { cognitoLogoutUrl, cognitoUserManager } from '../../console/src/auth/cognito-session.ts';
import { rememberedLocalAccount, signInLocally } from '../../console/src/auth/local-session.ts';
import { readTokenClaims } from '../../console/src/auth/session.ts';
import { parseConsoleConfig } from '../../console/src/config/console-config.ts';

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${encode({ alg: 'RS256' })}.${encode(claims)}.signature`;
}

const LOCAL = { kind: 'local' as const, signInUrl: '/local/sign-in', defaultAccount: 'acct-local' };
const COGNITO = {
  kind: 'cognito' as const,
  domain: 'https://slice-snapshots-1.auth.eu-central-1.amazoncognito.com',
  issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc',
  clientId: 'client-1',
};

describe('signInLocally', () => {
  afterEach(() => vi.useRealTimers());

  it('gets a token for the account, remembers the account for a reload, and renews near expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T10:00:00Z') });
    const issued: string[] = [];
    const fetcher = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const { account } = JSON.parse(String(init?.body)) as { account: string };
      const token = jwt({
        'custom:account': account,
        exp: Date.now() / 1000 + 600,
        n: issued.length,
      });
      issued.push(token);
      return new Response(JSON.stringify({ idToken: token }), { status: 200 });
    });
    const storage = new Map<string, string>();
    const fakeStorage = {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    } as Storage;

    const session = await signInLocally(LOCAL, 'acct-7', { fetcher, storage: fakeStorage });

    expect(session.account).toBe('acct-7');
    expect(fetcher).toHaveBeenCalledWith(
      '/local/sign-in',
      expect.objectContaining({ method: 'POST' }),
    );
    expect(rememberedLocalAccount(fakeStorage)).toBe('acct-7');
    expect(await session.idToken()).toBe(issued[0]);
    vi.setSystemTime(new Date('2026-03-01T10:09:30Z'));
    expect(await session.idToken()).toBe(issued[1]);
    session.signOut();
    expect(rememberedLocalAccount(fakeStorage)).toBeNull();
  });

  it('refuses with the provider’s own words', async () => {
    const fetcher = async () =>
      new Response(JSON.stringify({ detail: 'account must be 1–64 letters' }), { status: 400 });

    await expect(signInLocally(LOCAL, '??', { fetcher })).rejects.toThrow(
      'account must be 1–64 letters',
    );
  });
});

describe('the hosted UI client', () => {
  it('uses the authorization code with PKCE, tokens in memory only, endpoints of the domain', () => {
    const manager = cognitoUserManager(COGNITO, 'https://console.example');
    const settings = manager.settings;

    expect(settings.response_type).toBe('code');
    expect(settings.redirect_uri).toBe('https://console.example/auth/callback');
    expect(settings.client_id).toBe('client-1');
    expect(settings.metadata?.authorization_endpoint).toBe(`${COGNITO.domain}/oauth2/authorize`);
    expect(settings.metadata?.token_endpoint).toBe(`${COGNITO.domain}/oauth2/token`);
    expect(settings.userStore.constructor.name).toBe('WebStorageStateStore');
    expect(settings.disablePKCE).toBe(false);
  });

  it('logs out through the hosted UI and comes back to the console', () => {
    expect(cognitoLogoutUrl(COGNITO, 'https://console.example')).toBe(
      `${COGNITO.domain}/logout?client_id=client-1&logout_uri=https%3A%2F%2Fconsole.example%2F`,
    );
  });
});

describe('console configuration', () => {
  it('reads either identity provider and names what is missing', () => {
    expect(parseConsoleConfig({ apiUrl: 'https://api.example/', auth: COGNITO })).toEqual({
      apiUrl: 'https://api.example',
      auth: COGNITO,
    });
    expect(parseConsoleConfig({ apiUrl: '', auth: LOCAL }).auth).toEqual(LOCAL);
    expect(() => parseConsoleConfig({ apiUrl: '', auth: { kind: 'cognito' } })).toThrow(
      'config.json: auth.domain is missing',
    );
    expect(() => parseConsoleConfig({ auth: LOCAL })).toThrow('config.json: apiUrl is missing');
  });

  it('reads the account and expiry a token carries', () => {
    expect(readTokenClaims(jwt({ 'custom:account': 'acct-1', email: 'a@b.c', exp: 10 }))).toEqual({
      account: 'acct-1',
      email: 'a@b.c',
      expiresAt: 10_000,
    });
  });
});
