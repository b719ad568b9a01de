import { describe, expect, it } from 'vitest';
import { InvalidScheduleExpressionError, nextRun } from '../../../../local/scheduler/expression.ts';

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
      ['cron(60 3 * * ? *)', /minutes value 60 is outside 0-59/],
      ['cron(0 24 * * ? *)', /hours value 24 is outside 0-23/],
      ['cron(0 3 32 * ? *)', /day-of-month value 32/],
      ['cron(0 3 ? 13 MON *)', /month value 13/],
      ['cron(0 3 ? * 8 *)', /day-of-week/],
      ['cron(0 3 1 * ? 1969)', /year value 1969/],
      ['cron(x 3 1 * ? *)', /minutes field "X" is not valid/],
      ['cron(*/0 3 1 * ? *)', /step \/0 must be at least 1/],
      ['cron(0 3 20-10 * ? *)', /range 20-10 runs backwards/],
      ['cron(0 3 ? * MON#6 *)', /day-of-week/],
    ])('refuses %s', (expression, message) => {
      expect(() => nextRun(expression, new Date('2026-01-01T00:00:00Z'))).toThrow(
        InvalidScheduleExpressionError,
      );
      expect(() => nextRun(expression, new Date('2026-01-01T00:00:00Z'))).toThrow(message);
    });
  });
});
