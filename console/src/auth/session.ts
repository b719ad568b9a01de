/** A signed-in user, as the rest of the console sees it: whichever identity provider signed them in. */
export interface Session {
  /** The account the user acts for (the token's `custom:account` claim). */
  readonly account: string;
  /** What the top bar shows: an e-mail address, or the account for local users. */
  readonly userName: string;
  /** A current ID token for the API's `Authorization: Bearer` header, renewed as it nears expiry. */
  idToken(): Promise<string>;
  signOut(): void;
}

/** The claims of a JWT the console reads (it never verifies: the API does). */
export interface TokenClaims {
  readonly account: string | undefined;
  readonly email: string | undefined;
  /** Expiry, in milliseconds since the epoch. */
  readonly expiresAt: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=');
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads the claims the console needs from a JWT's payload. */
export function readTokenClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
  const account = claims['custom:account'];
  return {
    account: typeof account === 'string' ? account : undefined,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : 0,
  };
}
