import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CronScheduleCalendar } from '../../../../adapters/node/cron-schedule-calendar.ts';
import {
  type PolicySchedule,
  SCHEDULE_INTERVALS,
  scheduledRuns,
  scheduleExpressionOf,
  scheduleIssues,
} from '../../../../core/policies/policy-schedule.ts';

const calendar = new CronScheduleCalendar();
const HOUR_MS = 3_600_000;
const INTERVAL_HOURS = {
  '1h': 1,
  '2h': 2,
  '3h': 3,
  '4h': 4,
  '6h': 6,
  '8h': 8,
  '12h': 12,
  '1d': 24,
  '7d': 168,
};

function runs(schedule: PolicySchedule, after: string, count: number): string[] {
  return scheduledRuns(schedule, calendar, {
    after: new Date(after),
    until: new Date(Date.parse(after) + 400 * 24 * HOUR_MS),
    max: count,
  }).map((run) => run.toISOString());
}

describe('scheduleExpressionOf', () => {
  it.each([
    [{ every: '1h' }, 'cron(0 * * * ? *)'],
    [{ every: '1h', at: '09:45' }, 'cron(45 * * * ? *)'],
    [{ every: '6h', at: '01:30' }, 'cron(30 1/6 * * ? *)'],
    [{ every: '8h', at: '17:00' }, 'cron(0 1/8 * * ? *)'],
    [{ every: '1d', at: '03:15' }, 'cron(15 3 * * ? *)'],
    [{ every: '7d', at: '12:00' }, 'cron(0 12 ? * MON *)'],
    [{ cron: ' cron(5 4 ? * SUN *) ' }, 'cron(5 4 ? * SUN *)'],
  ] as [PolicySchedule, string][])('writes %j as %s', (schedule, expression) => {
    expect(scheduleExpressionOf(schedule)).toBe(expression);
  });
});

describe('scheduledRuns', () => {
  it('runs every six hours from the time of day given', () => {
    expect(runs({ every: '6h', at: '01:30' }, '2026-03-01T02:00:00Z', 4)).toEqual([
      '2026-03-01T07:30:00.000Z',
      '2026-03-01T13:30:00.000Z',
      '2026-03-01T19:30:00.000Z',
      '2026-03-02T01:30:00.000Z',
    ]);
  });

  it('runs a weekly schedule on Mondays', () => {
    expect(runs({ every: '7d', at: '12:00' }, '2026-03-01T00:00:00Z', 2)).toEqual([
      '2026-03-02T12:00:00.000Z',
      '2026-03-09T12:00:00.000Z',
    ]);
  });

  it('spaces the runs of every interval exactly by the interval, whatever the time of day', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCHEDULE_INTERVALS),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        (every, hour, minute, offsetMinutes) => {
          const at = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const after = new Date(Date.UTC(2026, 0, 1) + offsetMinutes * 60_000).toISOString();
          const times = runs({ every, at }, after, 4).map((run) => Date.parse(run));
          expect(times).toHaveLength(4);
          for (let index = 1; index < times.length; index++) {
            expect((times[index] ?? 0) - (times[index - 1] ?? 0)).toBe(
              INTERVAL_HOURS[every] * HOUR_MS,
            );
          }
          expect(new Date(times[0] ?? 0).getUTCMinutes()).toBe(minute);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ends at the last run of a cron that stops in a given year', () => {
    expect(runs({ cron: 'cron(0 0 1 1 ? 2027)' }, '2026-03-01T00:00:00Z', 5)).toEqual([
      '2027-01-01T00:00:00.000Z',
    ]);
  });
});

describe('scheduleIssues', () => {
  it('takes a cron that fires at most once an hour', () => {
    expect(scheduleIssues({ cron: 'cron(15 */2 ? * MON-FRI *)' }, calendar)).toEqual([]);
    expect(scheduleIssues({ cron: 'cron(0 * * * ? *)' }, calendar)).toEqual([]);
  });

  it.each([
    'cron(0,30 * * * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(* 3 * * ? *)',
    'cron(10-12 3 * * ? *)',
  ])('refuses %s, which fires twice within an hour', (cron) => {
    expect(scheduleIssues({ cron }, calendar)).toEqual([
      { path: 'schedule.cron', message: expect.stringContaining('at most once an hour') },
    ]);
  });

  it.each([
    ['cron(0 3 * * * *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(0 3 * *)', 'cron takes six fields'],
    ['rate(1 hour)', 'must be cron('],
    ['0 3 * * ?', 'expected rate(value unit) or cron('],
  ])('refuses %s as EventBridge Scheduler would', (cron, reason) => {
    expect(scheduleIssues({ cron }, calendar)).toEqual([
      { path: 'schedule.cron', message: expect.stringContaining(reason) },
    ]);
  });

  it('names a bad interval and a bad time of day', () => {
    const schedule = { every: '30m', at: '24:00' } as unknown as PolicySchedule;

    expect(scheduleIssues(schedule, calendar)).toEqual([
      { path: 'schedule.every', message: expect.stringContaining('1h, 2h') },
      { path: 'schedule.at', message: 'must be a time of day HH:MM (UTC)' },
    ]);
  });
});
