export type { ScheduleExpression } from '../../adapters/node/schedule-expression.ts';
export {
  InvalidScheduleExpressionError,
  nextRun,
  parseScheduleExpression,
} from '../../adapters/node/schedule-expression.ts';
export { startSchedulerApi } from './api.ts';
export type { ScheduleDefinition, Scheduler, SchedulerOptions, Timers } from './scheduler.ts';
export { startScheduler } from './scheduler.ts';
export type { ScheduleTargets } from './targets.ts';
export { catalogSchedules } from './targets.ts';
