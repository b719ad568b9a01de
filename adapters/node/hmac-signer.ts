import { createHmac } from 'node:crypto';
import type { Signer } from '../../core/ports/signer.ts';

/** Shortest key accepted: an HMAC-SHA256 key shorter than its output weakens it. */
const MIN_KEY_BYTES = 32;

/** HMAC-SHA256 signatures, base64url; the key comes from the composition root (a secret). */
export class HmacSigner implements Signer {
  readonly #key: Buffer;

  constructor(key: string | Uint8Array) {
    this.#key = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
    if (this.#key.length < MIN_KEY_BYTES) {
      throw new Error(`a signing key needs at least ${MIN_KEY_BYTES} bytes`);
    }
  }

  sign(message: string): string {
    return createHmac('sha256', this.#key).update(message, 'utf8').digest('base64url');
  }
}
