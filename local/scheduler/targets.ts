import type { ScheduleSpec } from '../../infra/catalog.ts';
import type { ScheduleDefinition } from './scheduler.ts';

/** How the local cloud reaches what its schedules run. */
export interface ScheduleTargets {
  /** Invokes a catalog function with the schedule's input as its event. */
  invokeFunction(functionName: string, input: Record<string, unknown>): Promise<unknown>;
  /** Starts an execution of a catalog workflow with the schedule's input (JSON text). */
  startWorkflow(workflow: string, input: string): Promise<unknown>;
}

/**
 * The catalog's schedules as the local scheduler runs them: each invokes its function or starts
 * its workflow's state machine, with its input, as EventBridge Scheduler does in AWS.
 */
export function catalogSchedules(
  schedules: readonly ScheduleSpec[],
  targets: ScheduleTargets,
): ScheduleDefinition[] {
  return schedules.map(({ name, expression, target, input = {} }) => ({
    name,
    expression,
    invoke: async () => {
      if ('workflow' in target) await targets.startWorkflow(target.workflow, JSON.stringify(input));
      else await targets.invokeFunction(target.function, input);
    },
  }));
}
