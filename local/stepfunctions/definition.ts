import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { ServiceError } from '../aws-json-error.ts';
import { functionNameOf, isFunctionArn } from './arns.ts';

/** How a Task state's resource runs locally. */
export type TaskSpec =
  | (TaskTimeouts & { kind: 'lambda-invoke' | 'lambda-callback'; stateName: string })
  | (TaskTimeouts & { kind: 'lambda-function'; stateName: string; functionName: string });

interface TaskTimeouts {
  resource: string;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
}

/** A definition accepted by the local endpoint: the runner's machine plus its Task states by name. */
export interface ParsedDefinition {
  machine: StateMachine;
  tasks: ReadonlyMap<string, TaskSpec>;
  /** The execution's TimeoutSeconds, which the endpoint keeps on its clock (the runner has none). */
  timeoutSeconds: number | undefined;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Fields that only JSONata or variables use: the runner would ignore them silently, so they are refused. */
const UNSUPPORTED_FIELDS = [
  'Arguments',
  'Output',
  'Assign',
  'Items',
  'HeartbeatSecondsPath',
  'ItemReader',
  'ResultWriter',
  'ItemBatcher',
];

/** setTimeout fires at once beyond this many milliseconds, so longer timeouts are capped to it. */
export const MAX_TIMER_SECONDS = Math.floor(2 ** 31 / 1000) - 1;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidDefinition', `Invalid State Machine Definition: ${message}`);
}

function optionalSeconds(state: JsonObject, field: string): number | undefined {
  const value = state[field];
  return typeof value === 'number' ? value : undefined;
}

function refuseJsonata(node: JsonObject, where: string): void {
  if ('QueryLanguage' in node && node.QueryLanguage !== 'JSONPath') {
    throw invalid(`${where} uses JSONata; only JSONPath ASL runs locally`);
  }
}

function taskSpecOf(stateName: string, state: JsonObject): TaskSpec {
  const resource = state.Resource;
  if (typeof resource !== 'string') throw invalid(`Task state '${stateName}' has no Resource`);
  const timeouts = {
    resource,
    timeoutSeconds: optionalSeconds(state, 'TimeoutSeconds'),
    heartbeatSeconds: optionalSeconds(state, 'HeartbeatSeconds'),
  };
  if (resource === LAMBDA_INVOKE) return { ...timeouts, kind: 'lambda-invoke', stateName };
  if (resource === LAMBDA_CALLBACK) return { ...timeouts, kind: 'lambda-callback', stateName };
  const functionName = isFunctionArn(resource) ? functionNameOf(resource) : undefined;
  if (functionName !== undefined) {
    return { ...timeouts, kind: 'lambda-function', stateName, functionName };
  }
  throw invalid(
    `Task state '${stateName}': resource '${resource}' is not supported locally ` +
      `(supported: ${LAMBDA_INVOKE}, ${LAMBDA_CALLBACK}, a Lambda function ARN)`,
  );
}

/** Walks every state, including those of Parallel branches and Map processors. */
function collectTasks(states: unknown, tasks: Map<string, TaskSpec>): void {
  if (!isObject(states)) throw invalid('States must be an object');
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) throw invalid(`state '${name}' must be an object`);
    refuseJsonata(state, `state '${name}'`);
    const unsupported = UNSUPPORTED_FIELDS.find((field) => field in state);
    if (unsupported !== undefined) {
      throw invalid(
        `state '${name}' uses '${unsupported}', which the local runner does not support (JSONPath ASL only)`,
      );
    }
    if (state.Type === 'Task') {
      if (tasks.has(name)) throw invalid(`state name '${name}' is used twice`);
      tasks.set(name, taskSpecOf(name, state));
      if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > MAX_TIMER_SECONDS) {
        state.TimeoutSeconds = MAX_TIMER_SECONDS;
      }
    }
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) {
        if (isObject(branch)) collectTasks(branch.States, tasks);
      }
    }
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (isObject(processor)) {
        const config = processor.ProcessorConfig;
        if (isObject(config) && config.Mode === 'DISTRIBUTED') {
          throw invalid(`Map state '${name}' is a Distributed Map, which runs only in AWS`);
        }
        collectTasks(processor.States, tasks);
      }
    }
  }
}

/**
 * Parses and validates ASL text (the runner's own validator, plus a refusal of what it would silently
 * ignore) and lists its Task states, whose resources all run locally. With `validated`, the text is
 * known to have passed the runner's validator already: it compiles its whole JSON schema on every
 * call (about a second of CPU per definition), so that check is skipped.
 */
export function parseDefinition(
  text: string,
  options: { validated?: boolean } = {},
): ParsedDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(`not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) throw invalid('the definition must be a JSON object');
  refuseJsonata(json, 'the state machine');
  const timeoutSeconds = optionalSeconds(json, 'TimeoutSeconds');
  // The runner would time the execution out on the machine's clock; the endpoint does it on its own.
  delete json.TimeoutSeconds;
  const tasks = new Map<string, TaskSpec>();
  collectTasks(json.States, tasks);
  let machine: StateMachine;
  try {
    // The runner's validator checks the ASL schema, paths and ARNs.
    machine = new StateMachine(json as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: options.validated === true },
    });
  } catch (error) {
    throw invalid((error as Error).message);
  }
  return { machine, tasks, timeoutSeconds };
}

function transitionsOf(state: JsonObject): string[] {
  const targets: unknown[] = [state.Next, state.Default];
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list))
      targets.push(...list.map((item) => (isObject(item) ? item.Next : undefined)));
  }
  return targets.filter((target): target is string => typeof target === 'string');
}

/** Where an execution cut short goes on from. */
export interface ResumePoint {
  readonly startAt: string;
  /** How long the Wait state it resumes at had waited already: a `Seconds` wait waits the rest. */
  readonly waitedSeconds?: number;
}

/**
 * The definition an execution cut short goes on with: the same states, starting at `startAt` (its
 * TimeoutSeconds still counts from the execution's first start: the run keeps it). States it can no longer reach are left out (the runner's validator
 * refuses unreachable states); the whole definition was validated when it was registered, and what
 * is left of it is not validated again.
 */
export function resumedDefinition(text: string, point: ResumePoint): ParsedDefinition {
  const json = JSON.parse(text) as JsonObject;
  const states = isObject(json.States) ? json.States : {};
  const reachable = new Set<string>();
  const pending = [point.startAt];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const state = states[name];
    if (reachable.has(name) || !isObject(state)) continue;
    reachable.add(name);
    pending.push(...transitionsOf(state));
  }
  const kept = Object.fromEntries(Object.entries(states).filter(([name]) => reachable.has(name)));
  const start = kept[point.startAt];
  if (point.waitedSeconds !== undefined && isObject(start) && typeof start.Seconds === 'number') {
    kept[point.startAt] = { ...start, Seconds: Math.max(0, start.Seconds - point.waitedSeconds) };
  }
  return parseDefinition(
    JSON.stringify({
      ...json,
      StartAt: point.startAt,
      States: kept,
    }),
    { validated: true },
  );
}
