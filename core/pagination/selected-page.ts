/**
 * Most records one list request examines (reads from the store, matching or not). A selector that
 * matches few of an account's records would otherwise read the whole account on every request;
 * past this bound the page ends short and its cursor resumes where the reading stopped.
 */
export const MAX_RECORDS_EXAMINED = 1000;

/** What one read of a list's records in order gives back. */
export interface ExaminedRecords<T> {
  /** The records read that the store's own filters kept, in list order. */
  readonly items: readonly T[];
  /** How many records the read went through, kept or not. */
  readonly examined: number;
  /** The id of the last record the read went through, kept or not; null when it read none. */
  readonly lastExaminedId: string | null;
  /** True when no record follows the last one examined. */
  readonly exhausted: boolean;
}

/**
 * Reads up to `max` records (at least one) after the record `afterId` (from the start when null),
 * in list order.
 */
export type ExamineRecords<T> = (
  afterId: string | null,
  max: number,
) => Promise<ExaminedRecords<T>>;

/** A page of matching records and where the next page resumes (null on the last page). */
export interface SelectedPage<T> {
  readonly items: readonly T[];
  readonly resumeAfterId: string | null;
}

/**
 * Fills a page with up to `limit` records that `matches` keeps, reading the list in batches from
 * `afterId` on. A full page resumes right after its last record, and only when one more match
 * exists (or may exist, once `maxExamined` records were read); a page cut short by `maxExamined`
 * resumes after the last record examined, so the next request goes on from there and no record is
 * skipped or served twice. The end of the list gives a null position.
 */
export async function readSelectedPage<T extends { readonly id: string }>(options: {
  readonly limit: number;
  readonly afterId: string | null;
  readonly matches: (record: T) => boolean;
  readonly examine: ExamineRecords<T>;
  readonly maxExamined?: number;
}): Promise<SelectedPage<T>> {
  const { limit, matches, examine } = options;
  const budget = options.maxExamined ?? MAX_RECORDS_EXAMINED;
  const found: T[] = [];
  let position = options.afterId;
  let examined = 0;
  // One more than a page first (the extra match says more follow), then twice as many each time.
  let batch = limit + 1;
  for (;;) {
    const read = await examine(position, Math.max(1, Math.min(batch, budget - examined)));
    // A read that went through nothing still spends budget, so no request can loop in place.
    examined += Math.max(1, read.examined);
    for (const record of read.items) {
      if (!matches(record)) continue;
      if (found.length === limit) {
        return { items: found, resumeAfterId: found.at(-1)?.id ?? null };
      }
      found.push(record);
    }
    position = read.lastExaminedId ?? position;
    if (read.exhausted) return { items: found, resumeAfterId: null };
    if (examined >= budget) {
      const full = found.length === limit;
      return { items: found, resumeAfterId: full ? (found.at(-1)?.id ?? null) : position };
    }
    batch *= 2;
  }
}
