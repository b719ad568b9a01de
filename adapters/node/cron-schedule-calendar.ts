import type { ScheduleCalendar } from '../../core/ports/schedule-calendar.ts';
import {
  InvalidScheduleExpressionError,
  nextOccurrence,
  parseScheduleExpression,
} from './schedule-expression.ts';

/** The next run after `after`, or null when the expression never runs again (a past year). */
function nextAfter(
  schedule: ReturnType<typeof parseScheduleExpression>,
  after: Date,
  expression: string,
): Date | null {
  try {
    return nextOccurrence(schedule, after, expression);
  } catch (error) {
    if (error instanceof InvalidScheduleExpressionError) return null;
    throw error;
  }
}

/** ScheduleCalendar on croner, with the checks EventBridge Scheduler makes of an expression. */
export class CronScheduleCalendar implements ScheduleCalendar {
  problemWith(expression: string): string | null {
    try {
      parseScheduleExpression(expression);
      return null;
    } catch (error) {
      if (error instanceof InvalidScheduleExpressionError) return error.message;
      throw error;
    }
  }

  runsBetween(expression: string, after: Date, until: Date, max: number): Date[] {
    const schedule = parseScheduleExpression(expression);
    const runs: Date[] = [];
    let last = after;
    while (runs.length < max) {
      const next = nextAfter(schedule, last, expression);
      if (next === null || next > until) break;
      runs.push(next);
      last = next;
    }
    return runs;
  }
}
