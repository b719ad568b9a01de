import type { Signer } from '../ports/signer.ts';
import { InvalidCursorError } from '../shared/persistence-errors.ts';
import { decodeAsciiBase64Url, encodeAsciiBase64Url } from './base64url.ts';
import type { Page } from './page.ts';
import type { SelectedPage } from './selected-page.ts';

/** Longest cursor worth decoding; anything longer was not issued here. */
const MAX_CURSOR_LENGTH = 512;
const VERSION = 'c1';

/**
 * The scope a cursor is bound to: the list, the account and every filter. A cursor issued for one
 * scope is refused in any other, so it can never reveal another account's (or another list's) items.
 */
export function cursorScope(
  list: string,
  accountId: string,
  filters: Readonly<Record<string, string | null | undefined>> = {},
): string {
  const sorted = Object.keys(filters)
    .sort()
    .map((key) => [key, filters[key] ?? null]);
  return JSON.stringify([list, accountId, sorted]);
}

function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return difference === 0;
}

/**
 * Opaque, tamper-proof list cursors: the position (the last id served) signed together with its
 * scope. Lists are ordered by id, so the position alone says where the next page starts.
 */
export class CursorCodec {
  readonly #signer: Signer;

  constructor(signer: Signer) {
    this.#signer = signer;
  }

  /** A cursor for the page after `lastId` in `scope`. */
  encode(scope: string, lastId: string): string {
    const payload = encodeAsciiBase64Url(`${VERSION}:${lastId}`);
    return `${payload}.${this.#signer.sign(`${scope}\n${payload}`)}`;
  }

  /** The page a client gets of `selected`: its records, and a cursor in `scope` to go on. */
  pageOf<T>(scope: string, selected: SelectedPage<T>): Page<T> {
    return {
      items: selected.items,
      nextCursor:
        selected.resumeAfterId === null ? null : this.encode(scope, selected.resumeAfterId),
    };
  }

  /**
   * The position a cursor encodes, provided this codec's key signed it for `scope` and the position
   * passes `isValidPosition`; otherwise InvalidCursorError.
   */
  decode(scope: string, cursor: string, isValidPosition: (lastId: string) => boolean): string {
    const parts = cursor.length <= MAX_CURSOR_LENGTH ? cursor.split('.') : [];
    const [payload, signature] = parts;
    if (parts.length !== 2 || !payload || !signature) throw new InvalidCursorError();
    if (!constantTimeEqual(signature, this.#signer.sign(`${scope}\n${payload}`))) {
      throw new InvalidCursorError();
    }
    const decoded = decodeAsciiBase64Url(payload);
    const prefix = `${VERSION}:`;
    if (!decoded?.startsWith(prefix)) throw new InvalidCursorError();
    const lastId = decoded.slice(prefix.length);
    if (!isValidPosition(lastId)) throw new InvalidCursorError();
    return lastId;
  }
}
