import {
  type FunctionSpec,
  type RuleSpec,
  type ScheduleSpec,
  scheduleTargetName,
  type WorkflowSpec,
} from './catalog.ts';

/** The catalog lists a deployment is built from; tests pass lists of their own. */
export interface CatalogLists {
  readonly functions: readonly FunctionSpec[];
  readonly workflows: readonly WorkflowSpec[];
  readonly schedules: readonly ScheduleSpec[];
  /** Rules on the default bus (executions' status changes); none when left out. */
  readonly rules?: readonly RuleSpec[];
}

/** Which stack hosts each function. */
export interface FunctionPlacement {
  /** Functions with routes: the API stack. */
  readonly api: readonly FunctionSpec[];
  /**
   * Functions a workflow invokes, and those a rule on the workflows' status changes invokes: the
   * workflows stack, beside their state machines.
   */
  readonly workflows: readonly FunctionSpec[];
  /** Functions a schedule invokes itself: the billing stack (a workflow's are in its stack). */
  readonly scheduled: readonly FunctionSpec[];
}

/**
 * Places every catalog function in exactly one stack and checks the catalog's cross references,
 * so a typo fails the synth with a clear message instead of a dangling ARN at deploy time.
 */
export function placeFunctions(catalog: CatalogLists): FunctionPlacement {
  const byName = new Map(catalog.functions.map((spec) => [spec.name, spec]));
  const workflowNames = new Set(catalog.workflows.map((workflow) => workflow.name));
  const problems: string[] = [];

  if (byName.size !== catalog.functions.length) problems.push('function names are not unique');
  for (const workflow of catalog.workflows) {
    for (const name of workflow.invokes) {
      if (!byName.has(name)) problems.push(`workflow ${workflow.name} invokes unknown ${name}`);
    }
  }
  for (const schedule of catalog.schedules) {
    const { target } = schedule;
    if ('workflow' in target ? !workflowNames.has(target.workflow) : !byName.has(target.function)) {
      problems.push(`schedule ${schedule.name} targets unknown ${scheduleTargetName(target)}`);
    }
  }
  for (const rule of catalog.rules ?? []) {
    if (!byName.has(rule.target.function)) {
      problems.push(`rule ${rule.name} targets unknown ${rule.target.function}`);
    }
  }
  for (const spec of catalog.functions) {
    for (const workflow of spec.access.startsWorkflows ?? []) {
      if (!workflowNames.has(workflow)) {
        problems.push(`function ${spec.name} starts unknown workflow ${workflow}`);
      }
    }
  }

  const invoked = new Set([
    ...catalog.workflows.flatMap((workflow) => workflow.invokes),
    ...(catalog.rules ?? []).map((rule) => rule.target.function),
  ]);
  const scheduled = new Set(
    catalog.schedules.flatMap(({ target }) => ('function' in target ? [target.function] : [])),
  );
  const placement: Record<keyof FunctionPlacement, FunctionSpec[]> = {
    api: [],
    workflows: [],
    scheduled: [],
  };
  for (const spec of catalog.functions) {
    const homes = [
      (spec.routes?.length ?? 0) > 0 ? placement.api : undefined,
      invoked.has(spec.name) ? placement.workflows : undefined,
      scheduled.has(spec.name) ? placement.scheduled : undefined,
    ].filter((home) => home !== undefined);
    if (homes.length !== 1) {
      problems.push(
        `function ${spec.name} must have routes, or be invoked by workflows or their rules, or ` +
          `be a schedule target: exactly one of the three (it has ${homes.length})`,
      );
      continue;
    }
    homes[0]?.push(spec);
  }

  if (problems.length > 0)
    throw new Error(`The catalog is inconsistent:\n- ${problems.join('\n- ')}`);
  return placement;
}
