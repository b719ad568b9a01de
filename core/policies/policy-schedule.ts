import type { ScheduleCalendar } from '../ports/schedule-calendar.ts';
import type { InputIssue } from '../shared/domain-error.ts';

/** The intervals an `every` schedule may take: none shorter than an hour, each dividing a day or a week. */
export const SCHEDULE_INTERVALS = ['1h', '2h', '3h', '4h', '6h', '8h', '12h', '1d', '7d'] as const;

/** One interval of an `every` schedule. */
export type ScheduleInterval = (typeof SCHEDULE_INTERVALS)[number];

/** `HH:MM`, 00:00 to 23:59, UTC. */
export const TIME_OF_DAY_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * When a policy runs: every interval from a time of day (UTC; 00:00 when left out), or an
 * EventBridge Scheduler `cron(minutes hours day-of-month month day-of-week year)` in UTC. An
 * `every` schedule runs on the hours that are whole multiples of its interval counted from `at`,
 * and a `7d` one on Mondays, the first day of an ISO week.
 */
export type PolicySchedule =
  | { readonly every: ScheduleInterval; readonly at?: string }
  | { readonly cron: string };

const HOURS_OF: Record<ScheduleInterval, number> = {
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

const CRON_FIELDS = /^cron\((.*)\)$/;

/**
 * The EventBridge Scheduler expression that runs `schedule`: every schedule is one `cron(…)`, so
 * that the deployed schedule, the local scheduler and the simulation read the same expression.
 */
export function scheduleExpressionOf(schedule: PolicySchedule): string {
  if ('cron' in schedule) return schedule.cron.trim();
  const [hour, minute] = (schedule.at ?? '00:00').split(':').map(Number) as [number, number];
  const hours = HOURS_OF[schedule.every];
  if (hours === 1) return `cron(${minute} * * * ? *)`;
  if (hours < 24) return `cron(${minute} ${hour % hours}/${hours} * * ? *)`;
  if (hours === 24) return `cron(${minute} ${hour} * * ? *)`;
  return `cron(${minute} ${hour} ? * MON *)`;
}

/**
 * What is wrong with a schedule as the contract takes it, or nothing: an `every` must be one of
 * {@link SCHEDULE_INTERVALS} and `at` a time of day; a `cron` must be one EventBridge Scheduler
 * takes and may fire at most once an hour. A cron fires twice within an hour exactly when its
 * minutes field names more than one minute (a list, a range, a step or `*`), so only a single
 * minute is taken.
 */
export function scheduleIssues(
  schedule: PolicySchedule,
  calendar: ScheduleCalendar,
  path = 'schedule',
): InputIssue[] {
  if ('every' in schedule) {
    const issues: InputIssue[] = [];
    if (!SCHEDULE_INTERVALS.includes(schedule.every)) {
      issues.push({
        path: `${path}.every`,
        message: `must be one of ${SCHEDULE_INTERVALS.join(', ')}`,
      });
    }
    if (schedule.at !== undefined && !TIME_OF_DAY_PATTERN.test(schedule.at)) {
      issues.push({ path: `${path}.at`, message: 'must be a time of day HH:MM (UTC)' });
    }
    return issues;
  }
  const at = `${path}.cron`;
  const text = schedule.cron.trim();
  const problem = calendar.problemWith(text);
  if (problem !== null || !CRON_FIELDS.test(text)) {
    return [
      {
        path: at,
        message: problem ?? 'must be cron(minutes hours day-of-month month day-of-week year)',
      },
    ];
  }
  const minutes = CRON_FIELDS.exec(text)?.[1]?.trim().split(/\s+/)[0] ?? '';
  if (!/^\d{1,2}$/.test(minutes)) {
    return [
      {
        path: at,
        message: `must run at most once an hour: its minutes field must be a single minute (got "${minutes}")`,
      },
    ];
  }
  return [];
}

/**
 * The runs of `schedule` strictly after `after` and no later than `until`, at most `max`. The
 * schedule must be valid (see {@link scheduleIssues}).
 */
export function scheduledRuns(
  schedule: PolicySchedule,
  calendar: ScheduleCalendar,
  window: { readonly after: Date; readonly until: Date; readonly max: number },
): Date[] {
  return calendar.runsBetween(
    scheduleExpressionOf(schedule),
    window.after,
    window.until,
    window.max,
  );
}
