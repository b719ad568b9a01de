import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { NonceRegistry } from '../../core/ports/nonce-registry.ts';
import { freshPerTest } from './describe-contract.ts';

const IN_TEN_MINUTES = () => new Date(Date.now() + 10 * 60_000);

/** The behaviour every NonceRegistry shares. */
export function nonceRegistryContract(make: () => NonceRegistry): void {
  const fresh = freshPerTest(() => ({ nonces: make(), issuer: `host-${randomUUID()}` }));

  it('accepts a nonce the first time', async () => {
    expect(await fresh.nonces.claim(fresh.issuer, randomUUID(), IN_TEN_MINUTES())).toBe(true);
  });

  it('refuses the same nonce again', async () => {
    const nonce = randomUUID();
    await fresh.nonces.claim(fresh.issuer, nonce, IN_TEN_MINUTES());

    expect(await fresh.nonces.claim(fresh.issuer, nonce, IN_TEN_MINUTES())).toBe(false);
  });

  it('accepts one of many claims of one nonce made at once', async () => {
    const nonce = randomUUID();

    const claims = await Promise.all(
      Array.from({ length: 6 }, () => fresh.nonces.claim(fresh.issuer, nonce, IN_TEN_MINUTES())),
    );

    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('keeps the nonces of two issuers apart', async () => {
    const nonce = randomUUID();
    await fresh.nonces.claim(fresh.issuer, nonce, IN_TEN_MINUTES());

    expect(await fresh.nonces.claim(`${fresh.issuer}-other`, nonce, IN_TEN_MINUTES())).toBe(true);
  });
}
