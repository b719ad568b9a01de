/** Remembers the nonces of signed requests, to refuse a request replayed within its window. */
export interface NonceRegistry {
  /**
   * True the first time `issuer` presents `nonce` (a conditional write), false for a replay. The
   * nonce is remembered at least until `expiresAt`.
   */
  claim(issuer: string, nonce: string, expiresAt: Date): Promise<boolean>;
}
