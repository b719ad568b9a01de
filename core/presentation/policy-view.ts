import { scheduledRuns } from '../policies/policy-schedule.ts';
import type { PolicySettings, SnapshotPolicy } from '../policies/snapshot-policy.ts';
import type { ScheduleCalendar } from '../ports/schedule-calendar.ts';
import { toIsoTime } from '../shared/time.ts';

/** A snapshot policy as CONTRACT.md shows it. */
export interface PolicyView extends PolicySettings {
  readonly id: string;
  /** When its schedule runs next; null while it is disabled. */
  readonly nextRunAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Farthest ahead a next run is looked for: a cron of a given year may lie years ahead. */
const NEXT_RUN_HORIZON_MS = 10 * 366 * 86_400_000;

/** When `policy` runs next after `now`, or null while it is disabled or never runs again. */
export function nextRunOf(
  policy: SnapshotPolicy,
  calendar: ScheduleCalendar,
  now: Date,
): Date | null {
  if (!policy.enabled) return null;
  const [next] = scheduledRuns(policy.schedule, calendar, {
    after: now,
    until: new Date(now.getTime() + NEXT_RUN_HORIZON_MS),
    max: 1,
  });
  return next ?? null;
}

/** The public view of a policy, its next run computed at `now`. */
export function viewPolicy(
  policy: SnapshotPolicy,
  calendar: ScheduleCalendar,
  now: Date,
): PolicyView {
  const next = nextRunOf(policy, calendar, now);
  return {
    id: policy.id,
    name: policy.name,
    enabled: policy.enabled,
    schedule: policy.schedule,
    target: policy.target,
    retain: policy.retain,
    powerOff: policy.powerOff,
    labels: policy.labels,
    onSliceDeleted: policy.onSliceDeleted,
    nextRunAt: next === null ? null : toIsoTime(next),
    createdAt: policy.createdAt,
    updatedAt: policy.updatedAt,
  };
}
