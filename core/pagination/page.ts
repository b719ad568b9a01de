import { InvalidInputError } from '../shared/domain-error.ts';

/** Page size when the client gives none. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Largest page a client may ask for. */
export const MAX_PAGE_LIMIT = 100;

/** Which page of a list to read: up to `limit` items after the position `cursor` encodes. */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | null;
}

/** One page of a list, newest first; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Validates a client's paging input (`limit` a whole number 1–100, default 50). */
export function parsePageRequest(input: { limit?: number; cursor?: string | null }): PageRequest {
  const limit = input.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new InvalidInputError([
      { path: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE_LIMIT}` },
    ]);
  }
  return { limit, cursor: input.cursor ?? null };
}

/**
 * A page from up to `limit + 1` items read in list order: the extra item only tells that more
 * follow, so `nextCursor` is null exactly on the last page.
 */
export function pageFrom<T extends { readonly id: string }>(
  fetched: readonly T[],
  limit: number,
  cursorAfter: (lastId: string) => string,
): Page<T> {
  const items = fetched.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: fetched.length > limit && last ? cursorAfter(last.id) : null };
}

/** Every item of a list, read a largest page at a time from its first page to its last. */
export async function everyItem<T>(read: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await read({ limit: MAX_PAGE_LIMIT, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

/** The page with each item as `view` shows it, and the page's own cursor. */
export function mapPage<T, V>(page: Page<T>, view: (item: T) => V): Page<V> {
  return { items: page.items.map((item) => view(item)), nextCursor: page.nextCursor };
}
