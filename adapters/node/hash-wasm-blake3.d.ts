/**
 * hash-wasm's BLAKE3 alone (its own UMD file), so a bundle carries that one WebAssembly module
 * rather than every hash of the package; typed as the package types it.
 */
declare module 'hash-wasm/dist/blake3.umd.min.js' {
  const blake3: { readonly createBLAKE3: typeof import('hash-wasm').createBLAKE3 };
  export default blake3;
}
