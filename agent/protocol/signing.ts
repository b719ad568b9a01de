import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Request signing between the backend and a host agent, both ways, with the host's secret:
 * HMAC-SHA256 over the method, the path with its query, a timestamp, a nonce, the host ID and the
 * body's SHA-256. Requests older (or newer) than five minutes, or whose nonce was seen, are refused.
 */
export const SIGNATURE_HEADERS = {
  timestamp: 'x-agent-timestamp',
  nonce: 'x-agent-nonce',
  host: 'x-agent-host',
  signature: 'x-agent-signature',
} as const;

export const SIGNATURE_ALGORITHM = 'AGENT-HMAC-SHA256';
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Secrets shorter than this are refused: HMAC-SHA256 wants at least 256 bits of key. */
export const MIN_SECRET_LENGTH = 32;

export interface SignedRequestParts {
  readonly method: string;
  /** The request target as sent: path plus `?query` if any. */
  readonly path: string;
  readonly hostId: string;
  readonly body: string | Uint8Array;
}

export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The exact text the HMAC covers, one field a line. */
export function stringToSign(fields: {
  method: string;
  path: string;
  timestamp: string;
  nonce: string;
  hostId: string;
  bodySha256: string;
}): string {
  return [
    SIGNATURE_ALGORITHM,
    fields.method.toUpperCase(),
    fields.path,
    fields.timestamp,
    fields.nonce,
    fields.hostId,
    fields.bodySha256,
  ].join('\n');
}

function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** The hex signature of a request sent by `hostId` at `timestamp` with `nonce`. */
function signatureOf(
  secret: string,
  request: Omit<SignedRequestParts, 'hostId'>,
  sent: { timestamp: string; nonce: string; hostId: string },
): string {
  const { method, path, body } = request;
  return hmacHex(secret, stringToSign({ method, path, ...sent, bodySha256: sha256Hex(body) }));
}

/** The headers to send with a request (add `content-type` yourself). */
export function signRequest(
  secret: string,
  request: SignedRequestParts,
  options: { now?: number; nonce?: string } = {},
): Record<string, string> {
  const timestamp = String(options.now ?? Date.now());
  const nonce = options.nonce ?? randomUUID();
  const signature = signatureOf(secret, request, { timestamp, nonce, hostId: request.hostId });
  return {
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.host]: request.hostId,
    [SIGNATURE_HEADERS.signature]: signature,
  };
}

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export type VerifyFailure = 'missing-headers' | 'stale' | 'bad-signature';

export type VerifyResult =
  | {
      readonly ok: true;
      readonly hostId: string;
      readonly nonce: string;
      readonly timestamp: number;
    }
  | { readonly ok: false; readonly reason: VerifyFailure };

function header(headers: HeaderBag, name: string): string | undefined {
  const direct = headers[name] ?? headers[name.toLowerCase()];
  if (direct !== undefined) return typeof direct === 'string' ? direct : direct[0];
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const found = key === undefined ? undefined : headers[key];
  return typeof found === 'string' ? found : found?.[0];
}

/** The host a request claims to come from (callbacks), to look its secret up before verifying. */
export function claimedHostId(headers: HeaderBag): string | undefined {
  return header(headers, SIGNATURE_HEADERS.host);
}

/**
 * Checks the signature and the timestamp window. It does not check the nonce: pass the result's
 * `nonce` to a {@link NonceCache} (or a conditional write, across Lambda containers) to refuse
 * replays within the window.
 */
export function verifyRequest(
  secret: string,
  request: Omit<SignedRequestParts, 'hostId'> & { headers: HeaderBag },
  options: { now?: number; maxSkewMs?: number } = {},
): VerifyResult {
  const timestamp = header(request.headers, SIGNATURE_HEADERS.timestamp);
  const nonce = header(request.headers, SIGNATURE_HEADERS.nonce);
  const hostId = header(request.headers, SIGNATURE_HEADERS.host);
  const signature = header(request.headers, SIGNATURE_HEADERS.signature);
  if (!timestamp || !nonce || !hostId || !signature || !/^\d{1,16}$/.test(timestamp)) {
    return { ok: false, reason: 'missing-headers' };
  }
  const now = options.now ?? Date.now();
  const sentAt = Number(timestamp);
  if (Math.abs(now - sentAt) > (options.maxSkewMs ?? MAX_CLOCK_SKEW_MS)) {
    return { ok: false, reason: 'stale' };
  }
  const expected = Buffer.from(signatureOf(secret, request, { timestamp, nonce, hostId }), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  return { ok: true, hostId, nonce, timestamp: sentAt };
}

/**
 * Remembers nonces for twice the skew window (a request can be up to the window early or late),
 * so a captured request cannot be replayed while its timestamp is still accepted.
 */
export class NonceCache {
  readonly #seen = new Map<string, number>();
  readonly #ttlMs: number;

  constructor(ttlMs = 2 * MAX_CLOCK_SKEW_MS) {
    this.#ttlMs = ttlMs;
  }

  /** True the first time a nonce is claimed within the TTL; false for a replay. */
  claim(nonce: string, now = Date.now()): boolean {
    this.#evict(now);
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, now + this.#ttlMs);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  #evict(now: number): void {
    // Insertion order is expiry order (constant TTL), so stop at the first live entry.
    for (const [nonce, expiresAt] of this.#seen) {
      if (expiresAt > now) break;
      this.#seen.delete(nonce);
    }
  }
}
