import awsCronParser from 'aws-cron-parser';

/**
 * EventBridge Scheduler's recurring expressions, in UTC: `rate(N minute|minutes|hour|hours|day|days)`
 * and the six-field `cron(minutes hours day-of-month month day-of-week year)`.
 *
 * aws-cron-parser expands lists, ranges, steps and names, but it accepts malformed fields silently
 * and its `next()` lands on days a month does not have (`31` in April gives May 1st), so fields are
 * checked here first and the next occurrence is searched here, over the sets it expands.
 */

/** A schedule expression AWS would refuse; the message says what is wrong and what is expected. */
export class InvalidScheduleExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`invalid schedule expression "${expression}": ${reason}`);
    this.name = 'InvalidScheduleExpressionError';
  }
}

export type ScheduleExpression =
  | { kind: 'rate'; periodMs: number }
  | { kind: 'cron'; cron: CronSets };

type Rule = (string | number)[];

/** The expanded fields; an empty day field is the one given as `?`. */
interface CronSets {
  minutes: number[];
  hours: number[];
  daysOfMonth: Rule;
  months: number[];
  daysOfWeek: Rule;
  years: number[];
}

const MINUTE_MS = 60_000;
const UNIT_MS = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS } as const;
const FORMS =
  'expected rate(value unit) or cron(minutes hours day-of-month month day-of-week year)';

const MONTH_NAMES = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const DAY_NAMES = 'SUN|MON|TUE|WED|THU|FRI|SAT';

/** A list of values, ranges and steps over one field's numbers (or names). */
function listSyntax(value: string): RegExp {
  const range = `(?:${value})(?:-(?:${value}))?`;
  const item = `(?:\\*|${range})(?:/\\d+)?`;
  return new RegExp(`^${item}(?:,${item})*$`, 'i');
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  syntax: RegExp;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59, syntax: listSyntax('\\d{1,2}') },
  { name: 'hours', min: 0, max: 23, syntax: listSyntax('\\d{1,2}') },
  { name: 'day-of-month', min: 1, max: 31, syntax: listSyntax('\\d{1,2}') },
  {
    name: 'month',
    min: 1,
    max: 12,
    syntax: listSyntax(`\\d{1,2}|${MONTH_NAMES}`),
    names: MONTH_NAMES.split('|'),
  },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    syntax: listSyntax(`[1-7]|${DAY_NAMES}`),
    names: DAY_NAMES.split('|'),
  },
  { name: 'year', min: 1970, max: 2199, syntax: listSyntax('\\d{4}') },
];

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
  const next = nextCron(schedule.cron, after);
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

function parseCron(text: string, expression: string): CronSets {
  const match = /^cron\((.*)\)$/.exec(text);
  const fields = match?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length !== 6) {
    throw new InvalidScheduleExpressionError(
      expression,
      `cron takes six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields.map((field) =>
    field.toUpperCase(),
  ) as [string, string, string, string, string, string];
  const invalid = (reason: string): never => {
    throw new InvalidScheduleExpressionError(expression, reason);
  };
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    invalid('exactly one of day-of-month and day-of-week must be ?');
  }
  const checked = [minutes, hours, dayOfMonth, month, dayOfWeek, year];
  FIELDS.forEach((spec, index) => {
    const field = checked[index] as string;
    if (spec.name === 'day-of-month' && /^(\?|L|\d{1,2}W)$/.test(field)) {
      if (field.endsWith('W')) checkBounds(spec, [Number.parseInt(field, 10)], invalid);
      return;
    }
    if (spec.name === 'day-of-week') {
      const special = new RegExp(`^(\\?|L|([1-7]|${DAY_NAMES})L|([1-7]|${DAY_NAMES})#[1-5])$`);
      if (special.test(field)) return;
    }
    if (!spec.syntax.test(field)) {
      invalid(`${spec.name} field "${field}" is not valid`);
    }
    checkBounds(spec, numbersIn(field, spec), invalid);
    for (const step of field.matchAll(/\/(\d+)/g)) {
      if (Number(step[1]) < 1) invalid(`${spec.name} step ${step[0]} must be at least 1`);
    }
    for (const range of field.matchAll(/([A-Z\d]+)-([A-Z\d]+)/g)) {
      const [from, to] = [range[1], range[2]].map((part) => toNumber(part as string, spec));
      if ((from as number) > (to as number)) {
        invalid(`${spec.name} range ${range[0]} runs backwards`);
      }
    }
  });
  // `L` alone in day-of-week is its last day, Saturday.
  const weekday = dayOfWeek === 'L' ? '7' : dayOfWeek;
  let parsed: ReturnType<typeof awsCronParser.parse>;
  try {
    parsed = awsCronParser.parse([minutes, hours, dayOfMonth, month, weekday, year].join(' '));
  } catch (error) {
    return invalid((error as Error).message);
  }
  const numbers = (rule: Rule): number[] =>
    rule.filter((value): value is number => typeof value === 'number').sort((a, b) => a - b);
  return {
    minutes: numbers(parsed.minutes),
    hours: numbers(parsed.hours),
    daysOfMonth: parsed.daysOfMonth,
    months: numbers(parsed.months),
    daysOfWeek: parsed.daysOfWeek,
    years: numbers(parsed.years),
  };
}

function toNumber(token: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(token) ?? -1;
  return named >= 0 ? named + 1 : Number(token);
}

function numbersIn(field: string, spec: FieldSpec): number[] {
  // Steps are counts, not values of the field: leave them out of the bounds check.
  return [...field.replace(/\/\d+/g, '').matchAll(/[A-Z\d]+/g)].map((token) =>
    toNumber(token[0], spec),
  );
}

function checkBounds(spec: FieldSpec, values: number[], invalid: (reason: string) => never): void {
  for (const value of values) {
    if (!(value >= spec.min && value <= spec.max)) {
      invalid(`${spec.name} value ${value} is outside ${spec.min}-${spec.max}`);
    }
  }
}

/** The first minute strictly after `after` that the cron fields allow, or undefined when none. */
function nextCron(cron: CronSets, after: Date): Date | undefined {
  const start = new Date((Math.floor(after.getTime() / MINUTE_MS) + 1) * MINUTE_MS);
  const sy = start.getUTCFullYear();
  const sm = start.getUTCMonth() + 1;
  const sd = start.getUTCDate();
  const sh = start.getUTCHours();
  const smin = start.getUTCMinutes();
  for (const year of cron.years) {
    if (year < sy) continue;
    for (const month of cron.months) {
      const sameMonth = year === sy && month === sm;
      if (year === sy && month < sm) continue;
      for (const day of daysOf(cron, year, month)) {
        if (sameMonth && day < sd) continue;
        const sameDay = sameMonth && day === sd;
        for (const hour of cron.hours) {
          if (sameDay && hour < sh) continue;
          const sameHour = sameDay && hour === sh;
          const minute = cron.minutes.find((value) => !sameHour || value >= smin);
          if (minute !== undefined) return new Date(Date.UTC(year, month - 1, day, hour, minute));
        }
      }
    }
  }
  return undefined;
}

/** The days of a month the day fields allow, ascending. */
function daysOf(cron: CronSets, year: number, month: number): number[] {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const weekday = (day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
  const all = Array.from({ length: last }, (_, index) => index + 1);
  const dom = cron.daysOfMonth;
  if (dom.length > 0) {
    if (dom[0] === 'L') return [last];
    if (dom[0] === 'W') {
      const target = dom[1] as number;
      if (target > last) return [];
      // The nearest weekday within the month: Saturday moves back, Sunday forward, unless that
      // would leave the month.
      const day = weekday(target);
      if (day === 7) return [target === 1 ? 3 : target - 1];
      if (day === 1) return [target === last ? target - 2 : target + 1];
      return [target];
    }
    return dom.filter((day): day is number => typeof day === 'number' && day <= last);
  }
  const dow = cron.daysOfWeek;
  if (dow[0] === 'L') {
    const wanted = dow[1] as number;
    return [all.filter((day) => weekday(day) === wanted).at(-1) as number];
  }
  if (dow[0] === '#') {
    const [, wanted, nth] = dow as [string, number, number];
    const day = all.filter((candidate) => weekday(candidate) === wanted)[nth - 1];
    return day === undefined ? [] : [day];
  }
  return all.filter((day) => dow.includes(weekday(day)));
}
