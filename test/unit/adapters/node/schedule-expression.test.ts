import { describe, expect, it } from 'vitest';
import {
  InvalidScheduleExpressionError,
  nextRun,
} from '../../../../adapters/node/schedule-expression.ts';

function next(expression: string, after: string): string {
  return nextRun(expression, new Date(after)).toISOString();
}

describe('nextRun', () => {
  describe('rate', () => {
    it.each([
      ['rate(1 minute)', '2026-03-01T12:00:30.000Z', '2026-03-01T12:01:30.000Z'],
      ['rate(5 minutes)', '2026-03-01T12:00:00.000Z', '2026-03-01T12:05:00.000Z'],
      ['rate(1 hour)', '2026-03-01T23:30:00.000Z', '2026-03-02T00:30:00.000Z'],
      ['rate(12 hours)', '2026-03-01T12:00:00.000Z', '2026-03-02T00:00:00.000Z'],
      ['rate(1 day)', '2026-02-28T06:00:00.000Z', '2026-03-01T06:00:00.000Z'],
      ['rate(7 days)', '2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z'],
    ])('%s after %s is %s', (expression, after, expected) => {
      expect(next(expression, after)).toBe(expected);
    });
  });

  describe("AWS's documented examples", () => {
    /** The next `count` runs after `after`, each strictly after the one before. */
    function runs(expression: string, after: string, count: number): string[] {
      const found: string[] = [];
      let at = new Date(after);
      while (found.length < count) {
        at = nextRun(expression, at);
        found.push(at.toISOString());
      }
      return found;
    }

    it.each([
      [
        'cron(0 10 * * ? *)',
        'at 10:00 every day',
        '2026-03-01T10:00:00Z',
        ['2026-03-02T10:00:00.000Z', '2026-03-03T10:00:00.000Z'],
      ],
      [
        'cron(15 12 * * ? *)',
        'at 12:15 every day',
        '2026-03-01T00:00:00Z',
        ['2026-03-01T12:15:00.000Z', '2026-03-02T12:15:00.000Z'],
      ],
      [
        'cron(0 18 ? * MON-FRI *)',
        'at 18:00 Monday to Friday (Friday 6 March, then Monday 9 March)',
        '2026-03-06T12:00:00Z',
        ['2026-03-06T18:00:00.000Z', '2026-03-09T18:00:00.000Z'],
      ],
      [
        'cron(0 8 1 * ? *)',
        'at 08:00 on the first day of every month',
        '2026-01-15T00:00:00Z',
        ['2026-02-01T08:00:00.000Z', '2026-03-01T08:00:00.000Z'],
      ],
      [
        'cron(0/15 * * * ? *)',
        'every 15 minutes',
        '2026-03-01T00:50:00Z',
        ['2026-03-01T01:00:00.000Z', '2026-03-01T01:15:00.000Z', '2026-03-01T01:30:00.000Z'],
      ],
      [
        'cron(0/10 * ? * MON-FRI *)',
        'every 10 minutes, Monday to Friday (Friday night to Monday morning)',
        '2026-03-06T23:45:00Z',
        ['2026-03-06T23:50:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-09T00:10:00.000Z'],
      ],
      [
        'cron(0/5 8-17 ? * MON-FRI *)',
        'every 5 minutes from 08:00 to 17:55, Monday to Friday',
        '2026-03-06T17:50:00Z',
        ['2026-03-06T17:55:00.000Z', '2026-03-09T08:00:00.000Z', '2026-03-09T08:05:00.000Z'],
      ],
      [
        'cron(1/10 * * * ? *)',
        'every tenth minute from the first (the 11th, 21st and 31st minutes)',
        '2026-03-01T00:05:00Z',
        ['2026-03-01T00:11:00.000Z', '2026-03-01T00:21:00.000Z', '2026-03-01T00:31:00.000Z'],
      ],
      [
        'cron(0 9 3W * ? *)',
        'the weekday closest to the 3rd (Saturday 3 January moves to Friday the 2nd)',
        '2026-01-01T00:00:00Z',
        ['2026-01-02T09:00:00.000Z', '2026-02-03T09:00:00.000Z'],
      ],
      [
        'cron(0 9 ? * 3#2 *)',
        'the second Tuesday of the month (3 is Tuesday)',
        '2026-03-01T00:00:00Z',
        ['2026-03-10T09:00:00.000Z', '2026-04-14T09:00:00.000Z'],
      ],
      [
        'cron(0 9 ? * L *)',
        'the last day of the week, Saturday',
        '2026-03-01T00:00:00Z',
        ['2026-03-07T09:00:00.000Z', '2026-03-14T09:00:00.000Z'],
      ],
      [
        'cron(0 9 ? * 1 *)',
        'day 1 of the week, Sunday',
        '2026-03-02T00:00:00Z',
        ['2026-03-08T09:00:00.000Z', '2026-03-15T09:00:00.000Z'],
      ],
      [
        'cron(0 9 ? * 1-7/2 *)',
        'every other day of the week from Sunday: Sunday, Tuesday, Thursday, Saturday',
        '2026-03-01T10:00:00Z',
        ['2026-03-03T09:00:00.000Z', '2026-03-05T09:00:00.000Z', '2026-03-07T09:00:00.000Z'],
      ],
      [
        'cron(0 0 1 1 ? 2027-2028)',
        'a year range: New Year of 2027 and 2028 only',
        '2026-06-01T00:00:00Z',
        ['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z'],
      ],
    ])('%s runs %s', (expression, _meaning, after, expected) => {
      expect(runs(expression, after, expected.length)).toEqual(expected);
    });

    it('refuses a day-of-week with # in a list ("3#1,6#3" is two expressions)', () => {
      expect(() => nextRun('cron(0 9 ? * 3#1,6#3 *)', new Date())).toThrow(
        /# takes a single expression/,
      );
    });
  });

  describe('cron', () => {
    it.each([
      [
        'every 15 minutes',
        'cron(0/15 * * * ? *)',
        '2026-03-01T00:07:00Z',
        '2026-03-01T00:15:00.000Z',
      ],
      [
        'strictly after a due time',
        'cron(0/15 * * * ? *)',
        '2026-03-01T00:15:00Z',
        '2026-03-01T00:30:00.000Z',
      ],
      [
        'daily, past today',
        'cron(0 3 * * ? *)',
        '2026-03-01T03:00:01Z',
        '2026-03-02T03:00:00.000Z',
      ],
      [
        'monthly, across the year',
        'cron(5 3 1 * ? *)',
        '2026-12-31T23:59:00Z',
        '2027-01-01T03:05:00.000Z',
      ],
      [
        'day 31 skips 30-day months',
        'cron(0 0 31 * ? *)',
        '2026-04-01T00:00:00Z',
        '2026-05-31T00:00:00.000Z',
      ],
      [
        '29 February waits for a leap year',
        'cron(0 0 29 2 ? *)',
        '2026-01-01T00:00:00Z',
        '2028-02-29T00:00:00.000Z',
      ],
      [
        'last day of February in a leap year',
        'cron(0 10 L * ? *)',
        '2028-02-01T00:00:00Z',
        '2028-02-29T10:00:00.000Z',
      ],
      [
        'last day of the month, rolling into the next',
        'cron(0 10 L * ? *)',
        '2026-01-31T10:00:00Z',
        '2026-02-28T10:00:00.000Z',
      ],
      [
        'weekdays by name',
        'cron(0 9 ? * MON-FRI *)',
        '2026-02-28T12:00:00Z',
        '2026-03-02T09:00:00.000Z',
      ],
      [
        'weekdays by number (1 is Sunday)',
        'cron(0 9 ? * 2-6 *)',
        '2026-02-28T12:00:00Z',
        '2026-03-02T09:00:00.000Z',
      ],
      [
        'a list of weekdays',
        'cron(30 8 ? * SAT,SUN *)',
        '2026-03-02T00:00:00Z',
        '2026-03-07T08:30:00.000Z',
      ],
      [
        'first Monday of the month',
        'cron(0 10 ? * MON#1 *)',
        '2026-03-03T00:00:00Z',
        '2026-04-06T10:00:00.000Z',
      ],
      [
        'last Friday of the month',
        'cron(0 18 ? * 6L *)',
        '2026-01-01T00:00:00Z',
        '2026-01-30T18:00:00.000Z',
      ],
      [
        'nearest weekday to a Sunday the 15th',
        'cron(0 10 15W * ? *)',
        '2026-03-01T00:00:00Z',
        '2026-03-16T10:00:00.000Z',
      ],
      [
        'nearest weekday to a Saturday the 1st stays in the month',
        'cron(0 10 1W * ? *)',
        '2026-07-31T00:00:00Z',
        '2026-08-03T10:00:00.000Z',
      ],
      [
        'months by name with a step',
        'cron(0 0 1 JAN-DEC/3 ? *)',
        '2026-02-01T00:00:00Z',
        '2026-04-01T00:00:00.000Z',
      ],
      [
        'a year list',
        'cron(0 0 1 1 ? 2027,2030)',
        '2027-01-01T00:00:00Z',
        '2030-01-01T00:00:00.000Z',
      ],
      ['hour ranges', 'cron(0 22-23 * * ? *)', '2026-03-01T23:00:00Z', '2026-03-02T22:00:00.000Z'],
    ])('%s: %s after %s is %s', (_label, expression, after, expected) => {
      expect(next(expression, after)).toBe(expected);
    });

    it('refuses an expression with no run left', () => {
      expect(() => next('cron(0 0 1 1 ? 2020)', '2026-01-01T00:00:00Z')).toThrow(
        /never runs after/,
      );
    });
  });

  describe('invalid expressions', () => {
    it.each([
      ['every 5 minutes', /expected rate\(value unit\) or cron/],
      ['rate(5 minute)', /above 1 takes a plural unit/],
      ['rate(1 minutes)', /value of 1 takes a singular unit/],
      ['rate(0 minutes)', /at least 1/],
      ['rate(2 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
      ['rate(1.5 hours)', /whole value/],
      ['cron(0 3 * * ?)', /six fields/],
      ['cron(0 3 * * * *)', /exactly one of day-of-month and day-of-week must be \?/],
      ['cron(0 3 ? * ? *)', /exactly one of day-of-month and day-of-week must be \?/],
      ['cron(60 3 * * ? *)', /value for minute: 60/],
      ['cron(0 24 * * ? *)', /value for hour: 24/],
      ['cron(0 3 32 * ? *)', /day/],
      ['cron(0 3 ? 13 MON *)', /month/],
      ['cron(0 3 ? * 8 *)', /day-of-week value 8 is outside 1-7/],
      ['cron(0 3 ? * 0 *)', /day-of-week value 0 is outside 1-7/],
      ['cron(0 3 1 * ? 1969)', /year value 1969 is outside 1970-2199/],
      ['cron(0 3 1 * ? 2200)', /year value 2200 is outside 1970-2199/],
      ['cron(x 3 1 * ? *)', /illegal characters/],
      ['cron(*/0 3 1 * ? *)', /illegal stepping/],
      ['cron(/10 3 1 * ? *)', /a step takes a start value/],
      ['cron(0 3 20-10 * ? *)', /larger than/],
      ['cron(0 3 ? * MON#6 *)', /nth weekday/],
    ])('refuses %s', (expression, message) => {
      expect(() => nextRun(expression, new Date('2026-01-01T00:00:00Z'))).toThrow(
        InvalidScheduleExpressionError,
      );
      expect(() => nextRun(expression, new Date('2026-01-01T00:00:00Z'))).toThrow(message);
    });
  });
});
