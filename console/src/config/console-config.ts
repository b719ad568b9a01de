/**
 * What the console learns at run time from `/config.json`: where the API is and how users sign
 * in. `npm start` answers it for the local identity provider; in AWS the console stack writes it
 * with the user pool's hosted UI. This file is the contract between those writers and the app.
 */
export interface ConsoleConfig {
  /** The API's origin, without `/v1`; empty when the API is on the console's own origin. */
  readonly apiUrl: string;
  readonly auth: LocalAuthConfig | CognitoAuthConfig;
}

/** The local identity provider of `npm start`: pick an account, get a token for it. */
export interface LocalAuthConfig {
  readonly kind: 'local';
  /** POST `{ account }` here to get `{ idToken, expiresAt }`. */
  readonly signInUrl: string;
  /** The account `npm start` printed a token for, offered first. */
  readonly defaultAccount: string;
}

/** The Cognito user pool's hosted UI: authorization code with PKCE, tokens kept in memory. */
export interface CognitoAuthConfig {
  readonly kind: 'cognito';
  /** The hosted UI's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domain: string;
  /** The token issuer, `https://cognito-idp.<region>.amazonaws.com/<user pool id>`. */
  readonly issuer: string;
  readonly clientId: string;
}

/** Why a `/config.json` cannot be used, in words an operator acts on. */
export class ConsoleConfigError extends Error {
  override readonly name = 'ConsoleConfigError';
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ConsoleConfigError(`config.json: ${field} is missing`);
  return value;
}

/** Reads a parsed `/config.json`; ConsoleConfigError names the first field that is wrong. */
export function parseConsoleConfig(value: unknown): ConsoleConfig {
  if (typeof value !== 'object' || value === null) {
    throw new ConsoleConfigError('config.json is not a JSON object');
  }
  const { apiUrl, auth } = value as { apiUrl?: unknown; auth?: Record<string, unknown> };
  const base = text(apiUrl, 'apiUrl').replace(/\/+$/, '');
  if (typeof auth !== 'object' || auth === null) {
    throw new ConsoleConfigError('config.json: auth is missing');
  }
  if (auth.kind === 'local') {
    return {
      apiUrl: base,
      auth: {
        kind: 'local',
        signInUrl: text(auth.signInUrl, 'auth.signInUrl'),
        defaultAccount: text(auth.defaultAccount, 'auth.defaultAccount'),
      },
    };
  }
  if (auth.kind === 'cognito') {
    return {
      apiUrl: base,
      auth: {
        kind: 'cognito',
        domain: text(auth.domain, 'auth.domain').replace(/\/+$/, ''),
        issuer: text(auth.issuer, 'auth.issuer'),
        clientId: text(auth.clientId, 'auth.clientId'),
      },
    };
  }
  throw new ConsoleConfigError('config.json: auth.kind must be "local" or "cognito"');
}

/** Fetches and reads `/config.json` from the console's own origin. */
export async function loadConsoleConfig(fetcher: typeof fetch = fetch): Promise<ConsoleConfig> {
  const response = await fetcher('/config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new ConsoleConfigError(`config.json could not be loaded (HTTP ${response.status})`);
  }
  return parseConsoleConfig(await response.json());
}
