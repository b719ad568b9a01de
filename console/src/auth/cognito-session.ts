import { InMemoryWebStorage, type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { CONSOLE_SIGN_IN_CALLBACK_PATH } from '../../../blueprint/facts.ts';
import type { CognitoAuthConfig } from '../config/console-config.ts';
import { readTokenClaims, type Session } from './session.ts';

const CALLBACK_PATH = CONSOLE_SIGN_IN_CALLBACK_PATH;

/**
 * The OpenID client of the user pool's hosted UI: authorization code with PKCE (S256), tokens
 * (ID, access, refresh) kept in memory only. Only the PKCE verifier and state cross the redirect,
 * in session storage, and are removed once the code is exchanged. The endpoints are given, not
 * discovered, so the console talks to the hosted UI's domain alone.
 */
export function cognitoUserManager(config: CognitoAuthConfig, origin: string): UserManager {
  return new UserManager({
    authority: config.issuer,
    metadata: {
      issuer: config.issuer,
      authorization_endpoint: `${config.domain}/oauth2/authorize`,
      token_endpoint: `${config.domain}/oauth2/token`,
      revocation_endpoint: `${config.domain}/oauth2/revoke`,
    },
    client_id: config.clientId,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: 'openid email profile',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    loadUserInfo: false,
    automaticSilentRenew: true,
    monitorSession: false,
  });
}

/** The hosted UI's logout address, which ends its session and comes back to the console. */
export function cognitoLogoutUrl(config: CognitoAuthConfig, origin: string): string {
  const query = new URLSearchParams({ client_id: config.clientId, logout_uri: `${origin}/` });
  return `${config.domain}/logout?${query}`;
}

function sessionOf(manager: UserManager, config: CognitoAuthConfig, first: User): Session {
  const claims = readTokenClaims(first.id_token ?? '');
  return {
    account: claims.account ?? '',
    userName: claims.email ?? claims.account ?? 'signed in',
    async idToken() {
      let user = await manager.getUser();
      if (!user || user.expired) user = await manager.signinSilent();
      if (!user?.id_token) throw new Error('signed out');
      return user.id_token;
    },
    signOut() {
      void manager.removeUser().finally(() => {
        window.location.assign(cognitoLogoutUrl(config, window.location.origin));
      });
    },
  };
}

/**
 * Signs in through the hosted UI. On the callback it exchanges the code and answers the session,
 * with the address the user first asked for back in the location bar; anywhere else it sends the
 * browser to the hosted UI and answers 'redirecting' (a reload of the console signs in again
 * there, without a password while the hosted UI's own session lasts).
 */
export async function startCognitoSession(
  config: CognitoAuthConfig,
): Promise<Session | 'redirecting'> {
  const { origin, pathname, search } = window.location;
  const manager = cognitoUserManager(config, origin);
  if (pathname === CALLBACK_PATH) {
    const user = await manager.signinRedirectCallback();
    const returnTo = (user.state as { returnTo?: string } | undefined)?.returnTo ?? '/';
    window.history.replaceState(null, '', returnTo.startsWith('/') ? returnTo : '/');
    return sessionOf(manager, config, user);
  }
  await manager.signinRedirect({ state: { returnTo: `${pathname}${search}` } });
  return 'redirecting';
}
