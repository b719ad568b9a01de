/** Reads EventBridge Scheduler's `cron(…)` expressions, in UTC, as the deployed schedules run. */
export interface ScheduleCalendar {
  /** Why EventBridge Scheduler would refuse `expression`, or null when it takes it. */
  problemWith(expression: string): string | null;

  /**
   * The runs of a valid `expression` strictly after `after` and no later than `until`, in order,
   * at most `max` of them.
   */
  runsBetween(expression: string, after: Date, until: Date, max: number): Date[];
}
