import { BYTES_PER_GIB } from '../shared/sizes.ts';
import {
  type BillingMonth,
  billingSecondOf,
  isoOfSecond,
  type MonthPeriod,
  monthPeriod,
} from './billing-month.ts';
import { MICROS_PER_DOLLAR } from './money.ts';
import { RATE_MICROS_PER_GIB_MONTH } from './rate.ts';
import { type BilledUsage, compareUsage } from './usage.ts';

const MICROS_PER_CENT = MICROS_PER_DOLLAR / 100n;
const BYTES_PER_GIB_BIG = BigInt(BYTES_PER_GIB);

/** `estimate`: the month is still open, or its run after month end has not run yet. */
export type ChargesStatus = 'estimate' | 'final';

/** What one snapshot costs in one month. */
export interface ChargeLine {
  readonly snapshotId: string;
  readonly name: string;
  readonly sizeBytes: number;
  /** ISO start of the billed part of the month (inclusive, whole second). */
  readonly from: string;
  /** ISO end of the billed part of the month (exclusive, whole second). */
  readonly to: string;
  /** Exactly `sizeBytes × seconds billed`: the quantity the price applies to. */
  readonly byteSeconds: bigint;
  /** The line's price, rounded half-up to the cent once. */
  readonly cents: bigint;
}

/** An account's charges for one month: the lines, and their sum as the total. */
export interface MonthlyCharges {
  readonly accountId: string;
  readonly month: BillingMonth;
  readonly status: ChargesStatus;
  /** ISO instant the charges run up to: the month's end when final, the computation time else. */
  readonly asOf: string;
  /** Ordered by snapshot id (creation order), then by start. */
  readonly lines: readonly ChargeLine[];
  readonly totalCents: bigint;
}

/**
 * The part of a month a computation covers: the month's calendar length prices a second (a
 * GiB-month is the whole calendar month), and billing is counted up to `untilSecond`.
 */
export interface BillingWindow {
  readonly period: MonthPeriod;
  /** Exclusive end: the month's end, or an earlier instant for a month-to-date estimate. */
  readonly untilSecond: number;
  // Computed once per window rather than once per line: a run prices millions of lines.
  readonly startIso: string;
  readonly untilIso: string;
  readonly priceDenominator: bigint;
  readonly twicePriceDenominator: bigint;
}

/** The window of `month` up to `until` (the whole month when `until` is at or after its end). */
export function billingWindow(month: BillingMonth, until?: Date | string): BillingWindow {
  const period = monthPeriod(month);
  const untilSecond =
    until === undefined
      ? period.endSecond
      : Math.max(period.startSecond, Math.min(period.endSecond, billingSecondOf(until)));
  const monthSeconds = BigInt(period.endSecond - period.startSecond);
  return {
    period,
    untilSecond,
    startIso: isoOfSecond(period.startSecond),
    untilIso: isoOfSecond(untilSecond),
    priceDenominator: priceDenominator(monthSeconds),
    twicePriceDenominator: 2n * priceDenominator(monthSeconds),
  };
}

function priceDenominator(monthSeconds: bigint): bigint {
  return BYTES_PER_GIB_BIG * monthSeconds * MICROS_PER_CENT;
}

/**
 * The price of `byteSeconds` in the window's month, in cents rounded half-up: byteSeconds × 0.05
 * USD ÷ (GiB × seconds in the month), as one exact integer division.
 */
function centsInWindow(byteSeconds: bigint, window: BillingWindow): bigint {
  const numerator = byteSeconds * RATE_MICROS_PER_GIB_MONTH;
  return (numerator * 2n + window.priceDenominator) / window.twicePriceDenominator;
}

/**
 * The ISO time of `second`, the whole second `iso` falls in: cut from `iso` itself when it is
 * written as the contract writes times (`YYYY-MM-DDTHH:mm:ss.sssZ`), which is far cheaper than
 * formatting a date for each of millions of lines.
 */
function isoOfWholeSecond(iso: string | null, second: number): string {
  if (iso !== null && iso.length === 24 && iso.charCodeAt(19) === 46 && iso.charCodeAt(23) === 90) {
    return iso.endsWith('.000Z') ? iso : `${iso.slice(0, 20)}000Z`;
  }
  return isoOfSecond(second);
}

/**
 * The charge of one usage record in a window, or null when no whole second of it falls in the
 * window. Periods are half-open: billed from the second `from` falls in up to, not including, the
 * second `to` falls in; so a snapshot deleted one second after it became available is billed one
 * second, and a month boundary is never billed twice.
 */
export function chargeLineFor(usage: BilledUsage, window: BillingWindow): ChargeLine | null {
  const start = Math.max(billingSecondOf(usage.from), window.period.startSecond);
  const stop = usage.to === null ? window.untilSecond : billingSecondOf(usage.to);
  const end = Math.min(stop, window.untilSecond);
  // Also true of an unreadable time (NaN): such a record bills nothing rather than garbage.
  if (!(end > start)) return null;
  const byteSeconds = BigInt(usage.sizeBytes) * BigInt(end - start);
  return {
    snapshotId: usage.snapshotId,
    name: usage.name,
    sizeBytes: usage.sizeBytes,
    from:
      start === window.period.startSecond ? window.startIso : isoOfWholeSecond(usage.from, start),
    to: end === window.untilSecond ? window.untilIso : isoOfWholeSecond(usage.to, end),
    byteSeconds,
    cents: centsInWindow(byteSeconds, window),
  };
}

/** The sum of the lines' cents: the total is always the sum of the rounded lines. */
export function totalCentsOf(lines: readonly { readonly cents: bigint }[]): bigint {
  let total = 0n;
  for (const line of lines) total += line.cents;
  return total;
}

function isInOrder(lines: readonly ChargeLine[]): boolean {
  for (let index = 1; index < lines.length; index += 1) {
    if (compareUsage(lines[index - 1] as ChargeLine, lines[index] as ChargeLine) > 0) return false;
  }
  return true;
}

/**
 * One account's charges for a window, in the `status` the caller determined: a line per usage
 * record overlapping it (others are ignored), ordered by snapshot id then start, and their total.
 * A snapshot that spent part of the month in the recycle bin has a line for each period it was
 * billed, and the time in the bin is in none of them.
 */
export function computeMonthlyCharges(
  accountId: string,
  usage: readonly BilledUsage[],
  window: BillingWindow,
  status: ChargesStatus,
): MonthlyCharges {
  const lines: ChargeLine[] = [];
  for (const record of usage) {
    const line = chargeLineFor(record, window);
    if (line) lines.push(line);
  }
  // Repositories hand records over in this order already: sort only when they are not.
  if (!isInOrder(lines)) lines.sort(compareUsage);
  return {
    accountId,
    month: window.period.month,
    status,
    asOf: window.untilIso,
    lines,
    totalCents: totalCentsOf(lines),
  };
}
