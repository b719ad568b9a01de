import type { LocalAuthConfig } from '../config/console-config.ts';
import { readTokenClaims, type Session } from './session.ts';

/** The account last signed in locally, so that a reload signs in again, as a hosted UI cookie would. */
const REMEMBERED_ACCOUNT = 'slice-snapshots.local-account';
/** A token this close to its expiry is renewed before it is sent. */
const RENEW_BEFORE_MS = 60_000;

interface LocalSignInAnswer {
  readonly idToken: string;
}

async function requestToken(
  config: LocalAuthConfig,
  account: string,
  fetcher: typeof fetch,
): Promise<string> {
  const response = await fetcher(config.signInUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account }),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    throw new Error(problem.detail ?? `sign-in refused (HTTP ${response.status})`);
  }
  return ((await response.json()) as LocalSignInAnswer).idToken;
}

/**
 * Signs in to the local identity provider of `npm start` as `account`; the token stays in memory
 * and is renewed from the same provider as it nears expiry.
 */
export async function signInLocally(
  config: LocalAuthConfig,
  account: string,
  options: { fetcher?: typeof fetch; storage?: Storage; onSignOut?: () => void } = {},
): Promise<Session> {
  const fetcher = options.fetcher ?? fetch.bind(globalThis);
  const storage = options.storage ?? sessionStorage;
  let token = await requestToken(config, account, fetcher);
  storage.setItem(REMEMBERED_ACCOUNT, account);
  const claims = readTokenClaims(token);
  return {
    account: claims.account ?? account,
    userName: claims.account ?? account,
    async idToken() {
      if (readTokenClaims(token).expiresAt - Date.now() < RENEW_BEFORE_MS) {
        token = await requestToken(config, account, fetcher);
      }
      return token;
    },
    signOut() {
      storage.removeItem(REMEMBERED_ACCOUNT);
      options.onSignOut?.();
    },
  };
}

/** The account signed in before a reload of this tab, if any. */
export function rememberedLocalAccount(storage: Storage = sessionStorage): string | null {
  return storage.getItem(REMEMBERED_ACCOUNT);
}
