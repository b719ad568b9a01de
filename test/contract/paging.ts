import type { Page, PageRequest } from '../../core/pagination/page.ts';

/** Reads every page of a list, following `nextCursor`; returns the ids in order and the page sizes. */
export async function walkPages<T extends { id: string }>(
  readPage: (page: PageRequest) => Promise<Page<T>>,
  limit: number,
): Promise<{ ids: string[]; pageSizes: number[] }> {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await readPage({ limit, cursor });
    ids.push(...page.items.map((item) => item.id));
    pageSizes.push(page.items.length);
    cursor = page.nextCursor;
    if (pageSizes.length > 1000) throw new Error('the list never ends');
  } while (cursor !== null);
  return { ids, pageSizes };
}

/** walkPages, timing each page's read in whole milliseconds. */
export async function timedWalk<T extends { id: string }>(
  readPage: (page: PageRequest) => Promise<Page<T>>,
  limit: number,
): Promise<{ ids: string[]; pageSizes: number[]; millis: number[] }> {
  const millis: number[] = [];
  const walk = await walkPages(async (page) => {
    const started = performance.now();
    const read = await readPage(page);
    millis.push(Math.round(performance.now() - started));
    return read;
  }, limit);
  return { ...walk, millis };
}

/** Flips one character in the middle of a cursor, the smallest possible tampering. */
export function tamper(cursor: string): string {
  const at = Math.floor(cursor.length / 3);
  const flipped = cursor[at] === 'A' ? 'B' : 'A';
  return `${cursor.slice(0, at)}${flipped}${cursor.slice(at + 1)}`;
}

/** Runs `tasks` with at most `concurrency` in flight (keeps emulator load polite). */
export async function inBatches(
  tasks: readonly (() => Promise<unknown>)[],
  concurrency = 10,
): Promise<void> {
  for (let start = 0; start < tasks.length; start += concurrency) {
    await Promise.all(tasks.slice(start, start + concurrency).map((task) => task()));
  }
}
