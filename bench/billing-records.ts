import type { BilledUsage } from '../core/billing/usage.ts';
import { BYTES_PER_GIB } from '../core/shared/sizes.ts';
import type { BenchRow } from './bench-row.ts';

export const SUITE = 'billing';
/** The month the suite bills: one that has ended, so that its runs make it final. */
export const MONTH = '2026-03';
export const MONTH_START = Date.parse('2026-03-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

/** A deterministic generator, so every run bills the same records. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `count` usage records spread over `accounts` accounts: most kept through the month, some taken
 * or deleted during it, a few deleted before it (not billed), sizes up to 512 GiB.
 */
export function usageRecords(count: number, accounts: number, seed = 7): BilledUsage[] {
  const random = randomSource(seed);
  const records: BilledUsage[] = [];
  for (let index = 0; index < count; index += 1) {
    const from = MONTH_START + Math.floor((random() * 120 - 90) * DAY_MS);
    const deleted = random() < 0.3;
    const to = deleted ? from + Math.floor(random() * 60 * DAY_MS) : null;
    records.push({
      accountId: `bench-${String(index % accounts).padStart(7, '0')}`,
      snapshotId: `snp_${String(index).padStart(26, '0')}`,
      name: `snapshot-${index}`,
      sizeBytes: Math.floor(random() * 512 * BYTES_PER_GIB),
      from: new Date(from).toISOString(),
      to: to === null ? null : new Date(to).toISOString(),
    });
  }
  return records;
}

export function recordsRow(name: string, records: number, seconds: number, note: string): BenchRow {
  const perSecond = records / seconds;
  return {
    suite: SUITE,
    name,
    seconds,
    note: `${Math.round(perSecond).toLocaleString('en-US')} records/s; ${note}`,
  };
}

export function elapsedSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The records of the whole-run measures, the same for the function and the state machine. */
export const WHOLE_RUN_SEED = 11;
