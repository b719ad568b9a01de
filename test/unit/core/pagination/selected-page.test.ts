import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ExaminedRecords,
  MAX_RECORDS_EXAMINED,
  readSelectedPage,
  type SelectedPage,
} from '../../../../core/pagination/selected-page.ts';

interface Row {
  readonly id: string;
  readonly selected: boolean;
  /** Left out by the store's own filter (a deleted record), yet read. */
  readonly hidden: boolean;
}

const idOf = (n: number) => `r${String(n).padStart(6, '0')}`;

/** Rows newest first, as a store reads them, counting every row it goes through. */
function storeOf(rows: readonly Row[]) {
  let examinedTotal = 0;
  const reads: number[] = [];
  const examine = async (afterId: string | null, max: number): Promise<ExaminedRecords<Row>> => {
    const following = rows.filter((row) => afterId === null || row.id < afterId);
    const read = following.slice(0, max);
    examinedTotal += read.length;
    reads.push(max);
    return {
      items: read.filter((row) => !row.hidden),
      examined: read.length,
      lastExaminedId: read.at(-1)?.id ?? null,
      exhausted: following.length <= max,
    };
  };
  return {
    examine,
    reads,
    takeExamined: () => {
      const total = examinedTotal;
      examinedTotal = 0;
      return total;
    },
  };
}

/** A page of the selected rows of `store`. */
function selectedPage(
  store: ReturnType<typeof storeOf>,
  page: { limit: number; afterId: string | null; maxExamined?: number },
): Promise<SelectedPage<Row>> {
  return readSelectedPage<Row>({ ...page, matches: (row) => row.selected, examine: store.examine });
}

function rowsOf(flags: readonly { selected: boolean; hidden: boolean }[]): Row[] {
  return flags.map((flag, i) => ({ id: idOf(flags.length - i), ...flag }));
}

describe('readSelectedPage', () => {
  it('walks any list in pages: every match once, in order, each request within its budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ selected: fc.boolean(), hidden: fc.boolean() }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 60 }),
        async (flags, limit, budget) => {
          const rows = rowsOf(flags);
          const store = storeOf(rows);
          const expected = rows.filter((row) => row.selected && !row.hidden).map((row) => row.id);
          const served: string[] = [];
          let afterId: string | null = null;
          let requests = 0;
          do {
            const page: SelectedPage<Row> = await selectedPage(store, {
              limit,
              afterId,
              maxExamined: budget,
            });
            // A request reads at most its budget.
            expect(store.takeExamined()).toBeLessThanOrEqual(budget);
            expect(page.items.length).toBeLessThanOrEqual(limit);
            served.push(...page.items.map((row) => row.id));
            afterId = page.resumeAfterId;
            requests += 1;
            expect(requests).toBeLessThanOrEqual(rows.length + 2);
          } while (afterId !== null);

          expect(served).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fills every page but the last when the budget is large enough', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { maxLength: 200 }),
        fc.integer({ min: 1, max: 15 }),
        async (selected, limit) => {
          const rows = rowsOf(selected.map((each) => ({ selected: each, hidden: false })));
          const store = storeOf(rows);
          const sizes: number[] = [];
          let afterId: string | null = null;
          do {
            const page: SelectedPage<Row> = await selectedPage(store, { limit, afterId });
            sizes.push(page.items.length);
            afterId = page.resumeAfterId;
          } while (afterId !== null);

          const matches = selected.filter(Boolean).length;
          const full = Math.floor(matches / limit);
          const rest = matches % limit;
          // Exact: no empty last page after a full one, no short page before the last.
          expect(sizes).toEqual(
            matches === 0 ? [0] : [...Array(full).fill(limit), ...(rest > 0 ? [rest] : [])],
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('resumes a full page right after its last match', async () => {
    const rows = rowsOf(
      [true, false, true, false, false, true].map((s) => ({ selected: s, hidden: false })),
    );
    const store = storeOf(rows);

    const page = await selectedPage(store, { limit: 2, afterId: null });

    expect(page.items.map((row) => row.id)).toEqual([idOf(6), idOf(4)]);
    expect(page.resumeAfterId).toBe(idOf(4));
  });

  it('stops at the budget and resumes after the last record it examined', async () => {
    const rows = rowsOf(
      Array.from({ length: 50 }, (_, i) => ({ selected: i === 45, hidden: false })),
    );
    const store = storeOf(rows);

    const first = await selectedPage(store, { limit: 5, afterId: null, maxExamined: 20 });
    const examinedFirst = store.takeExamined();
    const second = await selectedPage(store, {
      limit: 5,
      afterId: first.resumeAfterId,
      maxExamined: 20,
    });
    const third = await selectedPage(store, {
      limit: 5,
      afterId: second.resumeAfterId,
      maxExamined: 20,
    });

    expect(examinedFirst).toBe(20);
    expect(first).toEqual({ items: [], resumeAfterId: idOf(31) });
    expect(second).toEqual({ items: [], resumeAfterId: idOf(11) });
    expect(third.items.map((row) => row.id)).toEqual([idOf(5)]);
    expect(third.resumeAfterId).toBeNull();
  });

  it('reads a page and one more first, then batches twice as large', async () => {
    const rows = rowsOf(
      Array.from({ length: 100 }, (_, i) => ({ selected: i % 10 === 0, hidden: false })),
    );
    const store = storeOf(rows);

    await selectedPage(store, { limit: 5, afterId: null });

    expect(store.reads).toEqual([6, 12, 24, 48]);
  });

  it('bounds a request at 1000 records by default', () => {
    expect(MAX_RECORDS_EXAMINED).toBe(1000);
  });
});
