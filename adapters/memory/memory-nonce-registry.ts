import type { Clock } from '../../core/ports/clock.ts';
import type { NonceRegistry } from '../../core/ports/nonce-registry.ts';

/** Nonces in memory, forgotten once expired (by the given clock). */
export class MemoryNonceRegistry implements NonceRegistry {
  readonly #seen = new Map<string, number>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async claim(issuer: string, nonce: string, expiresAt: Date): Promise<boolean> {
    const key = JSON.stringify([issuer, nonce]);
    const until = this.#seen.get(key);
    if (until !== undefined && until > this.#clock.now().getTime()) return false;
    this.#seen.set(key, expiresAt.getTime());
    return true;
  }
}
