/** Bytes in a GiB: every `…GB` field of the contract is GiB. */
export const BYTES_PER_GIB = 2 ** 30;

/** Bytes of a whole number of GiB. */
export function gibToBytes(gib: number): number {
  return gib * BYTES_PER_GIB;
}

/**
 * GiB with 2 decimals for display, rounded half-up on exact integers so that, e.g., 40 GiB is `40`
 * and 1.5 GiB is `1.5` (no binary-float drift such as 1.4999999).
 */
export function bytesToDisplayGib(bytes: number): number {
  const gib = BigInt(BYTES_PER_GIB);
  const hundredths = (BigInt(bytes) * 200n + gib) / (2n * gib);
  return Number(hundredths) / 100;
}
