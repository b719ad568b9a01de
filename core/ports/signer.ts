/** Signs messages with a secret key that the core never sees (an HMAC in every adapter). */
export interface Signer {
  /** A deterministic base64url signature of `message`: same key and message, same signature. */
  sign(message: string): string;
}
