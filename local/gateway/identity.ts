import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

/** What the local identity provider stands in for: the Cognito user pool and its app client. */
export const LOCAL_ISSUER = 'urn:slice-snapshots:local-idp';
export const LOCAL_AUDIENCE = 'slice-snapshots-local';
const ALGORITHM = 'RS256';

interface StoredKeys {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** Mints and verifies tokens as Cognito and the HTTP API JWT authorizer would. */
export interface LocalIdentity {
  mintToken(options: { account?: string; subject?: string; ttlSeconds?: number }): Promise<string>;
  /** Verifies signature, issuer, audience and expiry; resolves the claims or rejects. */
  verify(token: string): Promise<JWTPayload>;
  readonly jwks: { keys: JWK[] };
}

async function loadOrCreateKeys(file: string): Promise<StoredKeys> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const keys: StoredKeys = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' },
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

/** The local identity provider; its signing key persists in `keyFile` so tokens survive restarts. */
export async function openLocalIdentity(keyFile: string): Promise<LocalIdentity> {
  const keys = await loadOrCreateKeys(keyFile);
  const privateKey = await importJWK(keys.privateJwk, ALGORITHM);
  const jwks = { keys: [keys.publicJwk] };
  const keySet = createLocalJWKSet(jwks);
  return {
    jwks,
    async mintToken({ account, subject, ttlSeconds = 12 * 3600 }) {
      const claims: JWTPayload = { token_use: 'id' };
      if (account !== undefined) claims['custom:account'] = account;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: ALGORITHM, kid: keys.kid })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject(subject ?? `user-${account ?? 'anonymous'}`)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: [ALGORITHM],
      });
      return payload;
    },
  };
}
