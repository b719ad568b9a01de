import {
  claimedHostId,
  type HeaderBag,
  MAX_CLOCK_SKEW_MS,
  verifyRequest,
} from '../../agent/protocol/signing.ts';
import type { HostDirectory } from '../../core/ports/host-directory.ts';
import type { NonceRegistry } from '../../core/ports/nonce-registry.ts';

/** A callback request as received: the raw body, exactly as signed. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target: path plus `?query` if any. */
  readonly path: string;
  readonly headers: HeaderBag;
  readonly body: string | Uint8Array;
}

/** Why a callback was refused; the agent protocol's reasons plus a host the registry lacks. */
export type RefusalReason =
  | 'missing-headers'
  | 'stale'
  | 'bad-signature'
  | 'unknown-host'
  | 'replayed';

export type CallbackAuthentication =
  | { readonly ok: true; readonly hostId: string }
  | { readonly ok: false; readonly reason: RefusalReason };

/**
 * Authenticates agent callbacks (docs/agent-protocol.md, "Signing"): the claimed host's secret
 * from the registry, the HMAC over the raw body and the timestamp window, then the nonce claimed
 * once across every container. The signature is checked first, so forged requests write nothing.
 */
export class AgentCallbackAuthenticator {
  readonly #hosts: HostDirectory;
  readonly #nonces: NonceRegistry;
  readonly #now: () => number;

  constructor(options: { hosts: HostDirectory; nonces: NonceRegistry; now?: () => number }) {
    this.#hosts = options.hosts;
    this.#nonces = options.nonces;
    this.#now = options.now ?? Date.now;
  }

  async authenticate(request: ReceivedRequest): Promise<CallbackAuthentication> {
    const hostId = claimedHostId(request.headers);
    if (!hostId) return { ok: false, reason: 'missing-headers' };
    const secret = await this.#hosts.signingSecret(hostId);
    if (secret === null) return { ok: false, reason: 'unknown-host' };
    const verified = verifyRequest(secret, request, { now: this.#now() });
    if (!verified.ok) return verified;
    // Accepted up to the skew window after its timestamp: remembered twice as long, to be safe.
    const expiresAt = new Date(verified.timestamp + 2 * MAX_CLOCK_SKEW_MS);
    const fresh = await this.#nonces.claim(hostId, verified.nonce, expiresAt);
    return fresh ? { ok: true, hostId } : { ok: false, reason: 'replayed' };
  }
}
