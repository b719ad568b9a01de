import { Cron } from 'croner';

/**
 * EventBridge Scheduler's recurring expressions, in UTC: `rate(N minute|minutes|hour|hours|day|days)`
 * and the six-field `cron(minutes hours day-of-month month day-of-week year)`.
 *
 * croner reads the cron fields (lists, ranges, steps, names, `?`, `L`, `W`, `#` and the year) with
 * AWS's weekday numbering, 1 for Sunday to 7 for Saturday. What is checked here is only what AWS
 * refuses and croner accepts.
 */

/** A schedule expression AWS would refuse; the message says what is wrong and what is expected. */
export class InvalidScheduleExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`invalid schedule expression "${expression}": ${reason}`);
    this.name = 'InvalidScheduleExpressionError';
  }
}

export type ScheduleExpression = { kind: 'rate'; periodMs: number } | { kind: 'cron'; cron: Cron };

const MINUTE_MS = 60_000;
const UNIT_MS = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS } as const;
const FORMS =
  'expected rate(value unit) or cron(minutes hours day-of-month month day-of-week year)';
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

/** Parses a schedule expression; throws {@link InvalidScheduleExpressionError} when AWS would refuse it. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const text = expression.trim();
  if (text.startsWith('rate(')) return { kind: 'rate', periodMs: parseRate(text, expression) };
  if (text.startsWith('cron(')) return { kind: 'cron', cron: parseCron(text, expression) };
  throw new InvalidScheduleExpressionError(expression, FORMS);
}

/** The first run of the expression strictly after `after` (rates count from `after`). */
export function nextRun(expression: string, after: Date): Date {
  return nextOccurrence(parseScheduleExpression(expression), after, expression);
}

/** {@link nextRun} for an expression already parsed. */
export function nextOccurrence(
  schedule: ScheduleExpression,
  after: Date,
  label = 'schedule',
): Date {
  if (schedule.kind === 'rate') return new Date(after.getTime() + schedule.periodMs);
  const next = schedule.cron.nextRun(after);
  if (!next) {
    throw new InvalidScheduleExpressionError(label, `it never runs after ${after.toISOString()}`);
  }
  return next;
}

function parseRate(text: string, expression: string): number {
  const match = /^rate\((\d+) +(minutes?|hours?|days?)\)$/.exec(text);
  if (!match) {
    throw new InvalidScheduleExpressionError(
      expression,
      'expected rate(value unit) with a whole value and a unit of minute(s), hour(s) or day(s)',
    );
  }
  const value = Number(match[1]);
  const unit = match[2] as string;
  const plural = unit.endsWith('s');
  if (value < 1)
    throw new InvalidScheduleExpressionError(expression, 'the value must be at least 1');
  if (value === 1 && plural) {
    throw new InvalidScheduleExpressionError(expression, `a value of 1 takes a singular unit`);
  }
  if (value > 1 && !plural) {
    throw new InvalidScheduleExpressionError(expression, `a value above 1 takes a plural unit`);
  }
  const base = (plural ? unit.slice(0, -1) : unit) as keyof typeof UNIT_MS;
  return value * UNIT_MS[base];
}

function parseCron(text: string, expression: string): Cron {
  const invalid = (reason: string): never => {
    throw new InvalidScheduleExpressionError(expression, reason);
  };
  const fields = /^cron\((.*)\)$/.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length !== 6) {
    invalid(
      `cron takes six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields.map((field) =>
    field.toUpperCase(),
  ) as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    invalid('exactly one of day-of-month and day-of-week must be ?');
  }
  if (fields.some((field) => /(^|,)\//.test(field))) {
    invalid('a step takes a start value or a range before its /, as in 0/15');
  }
  if (dayOfWeek.includes('#') && dayOfWeek.includes(',')) {
    invalid('day-of-week with # takes a single expression, not a list');
  }
  // Steps and the n of `#n` are counts, not values of the field. croner reads day 8 as Sunday
  // again and takes any year from 1 on; AWS has days 1 to 7 and the years 1970 to 2199.
  const valuesOf = (field: string) => field.replace(/[/#]\d+/g, '').match(/\d+/g) ?? [];
  for (const day of valuesOf(dayOfWeek)) {
    if (Number(day) < 1 || Number(day) > 7) invalid(`day-of-week value ${day} is outside 1-7`);
  }
  for (const value of valuesOf(year)) {
    if (Number(value) < FIRST_YEAR || Number(value) > LAST_YEAR) {
      invalid(`year value ${value} is outside ${FIRST_YEAR}-${LAST_YEAR}`);
    }
  }
  // `L` alone in day-of-week is the week's last day, Saturday; croner knows it only after a day.
  const weekday = dayOfWeek === 'L' ? '7' : dayOfWeek;
  try {
    return new Cron(`0 ${minutes} ${hours} ${dayOfMonth} ${month} ${weekday} ${year}`, {
      mode: '7-part',
      alternativeWeekdays: true,
      // AWS writes steps from a start value (`0/15`), which croner calls sloppy.
      sloppyRanges: true,
      timezone: 'Etc/UTC',
    });
  } catch (error) {
    return invalid((error as Error).message.replace(/^CronPattern: /, ''));
  }
}
