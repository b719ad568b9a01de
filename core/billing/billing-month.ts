import { InvalidInputError } from '../shared/domain-error.ts';

/** A calendar month in UTC as the contract writes it: `YYYY-MM`. */
export type BillingMonth = string;

/** The UTC bounds of a month as epoch seconds: the half-open period `[startSecond, endSecond)`. */
export interface MonthPeriod {
  readonly month: BillingMonth;
  readonly startSecond: number;
  readonly endSecond: number;
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True when `value` is a `YYYY-MM` month (years 0000–9999, months 01–12). */
export function isBillingMonth(value: string): boolean {
  return MONTH_PATTERN.test(value);
}

/** The month, checked: InvalidInputError naming `path` when it is not `YYYY-MM`. */
export function parseBillingMonth(value: string, path = 'month'): BillingMonth {
  if (!isBillingMonth(value)) {
    throw new InvalidInputError([{ path, message: 'must be a month written YYYY-MM' }]);
  }
  return value;
}

function yearAndMonth(month: BillingMonth): { year: number; monthIndex: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new Error(`not a YYYY-MM month: ${month}`);
  return { year: Number(match[1]), monthIndex: Number(match[2]) - 1 };
}

function epochSecondOf(year: number, monthIndex: number): number {
  // Date.UTC knows the Gregorian calendar (28–31 days, leap years such as 2000 but not 2100),
  // so months are never counted by hand. setUTCFullYear keeps years below 100 literal.
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, 1);
  date.setUTCHours(0, 0, 0, 0);
  return date.getTime() / 1000;
}

/** The month's UTC period: from its first second up to (not including) the next month's first. */
export function monthPeriod(month: BillingMonth): MonthPeriod {
  const { year, monthIndex } = yearAndMonth(month);
  return {
    month,
    startSecond: epochSecondOf(year, monthIndex),
    endSecond: epochSecondOf(year, monthIndex + 1),
  };
}

/** How many seconds the month has: 2,419,200 (28 days) to 2,678,400 (31 days). */
export function secondsInMonth(month: BillingMonth): number {
  const period = monthPeriod(month);
  return period.endSecond - period.startSecond;
}

/** The UTC month an instant falls in. */
export function monthOf(instant: Date | string): BillingMonth {
  const iso = new Date(instant).toISOString();
  return iso.slice(0, 7);
}

/** The month before. */
export function previousMonth(month: BillingMonth): BillingMonth {
  const { year, monthIndex } = yearAndMonth(month);
  return monthOf(new Date(epochSecondOf(year, monthIndex - 1) * 1000));
}

/** The month after. */
export function nextMonth(month: BillingMonth): BillingMonth {
  const { year, monthIndex } = yearAndMonth(month);
  return monthOf(new Date(epochSecondOf(year, monthIndex + 1) * 1000));
}

/** Every month from `first` to `last`, both included, in order (none when `last` is earlier). */
export function monthsBetween(first: BillingMonth, last: BillingMonth): BillingMonth[] {
  const months: BillingMonth[] = [];
  for (let month = first; month <= last; month = nextMonth(month)) months.push(month);
  return months;
}

/** Billing counts whole seconds: an instant is billed from the second it falls in. */
export function billingSecondOf(instant: Date | string): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return Math.floor(ms / 1000);
}

/** An epoch second as the contract writes times: ISO 8601 UTC with `Z`. */
export function isoOfSecond(second: number): string {
  return new Date(second * 1000).toISOString();
}
