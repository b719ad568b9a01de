import type {
  CognitoConsoleAuth,
  ConsoleConfig,
  LocalConsoleAuth,
} from '../../../blueprint/facts.ts';

/** The contract of `/config.json` lives in the blueprint: `npm start` and the CDK app write it. */
export type { ConsoleConfig };
export type LocalAuthConfig = LocalConsoleAuth;
export type CognitoAuthConfig = CognitoConsoleAuth;

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
