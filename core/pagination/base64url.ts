const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding of a string of ASCII characters (cursor payloads are ASCII). */
export function encodeAsciiBase64Url(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i);
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) : 0;
    const triple = (a << 16) | (b << 8) | c;
    out += ALPHABET[(triple >> 18) & 63];
    out += ALPHABET[(triple >> 12) & 63];
    if (i + 1 < text.length) out += ALPHABET[(triple >> 6) & 63];
    if (i + 2 < text.length) out += ALPHABET[triple & 63];
  }
  return out;
}

/** The inverse of encodeAsciiBase64Url; null when `encoded` is not canonical base64url of ASCII. */
export function decodeAsciiBase64Url(encoded: string): string | null {
  if (encoded.length % 4 === 1) return null;
  let out = '';
  for (let i = 0; i < encoded.length; i += 4) {
    const group = encoded.slice(i, i + 4);
    const values = [...group].map((char) => ALPHABET.indexOf(char));
    if (values.some((value) => value < 0)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = values;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    out += String.fromCharCode((triple >> 16) & 255);
    if (group.length > 2) out += String.fromCharCode((triple >> 8) & 255);
    if (group.length > 3) out += String.fromCharCode(triple & 255);
  }
  // Rejects non-canonical encodings and non-ASCII bytes: only what encode produced decodes.
  return /^[\x20-\x7e]*$/.test(out) && encodeAsciiBase64Url(out) === encoded ? out : null;
}
