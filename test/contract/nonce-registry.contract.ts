import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import type { NonceRegistry } from '../../core/ports/nonce-registry.ts';

const IN_TEN_MINUTES = () => new Date(Date.now() + 10 * 60_000);

/** The behaviour every NonceRegistry shares. */
export function nonceRegistryContract(make: () => NonceRegistry): void {
  let nonces: NonceRegistry;
  let issuer: string;

  beforeEach(() => {
    nonces = make();
    issuer = `host-${randomUUID()}`;
  });

  it('accepts a nonce the first time', async () => {
    expect(await nonces.claim(issuer, randomUUID(), IN_TEN_MINUTES())).toBe(true);
  });

  it('refuses the same nonce again', async () => {
    const nonce = randomUUID();
    await nonces.claim(issuer, nonce, IN_TEN_MINUTES());

    expect(await nonces.claim(issuer, nonce, IN_TEN_MINUTES())).toBe(false);
  });

  it('accepts one of many claims of one nonce made at once', async () => {
    const nonce = randomUUID();

    const claims = await Promise.all(
      Array.from({ length: 6 }, () => nonces.claim(issuer, nonce, IN_TEN_MINUTES())),
    );

    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('keeps the nonces of two issuers apart', async () => {
    const nonce = randomUUID();
    await nonces.claim(issuer, nonce, IN_TEN_MINUTES());

    expect(await nonces.claim(`${issuer}-other`, nonce, IN_TEN_MINUTES())).toBe(true);
  });
}
