import type { ExecutionRecord, HistoryEvent } from './execution-record.ts';

/**
 * What start-up does with an execution that was running when the endpoint died, read from its
 * persisted history:
 * - `run`: continue it at `startAt` with `input` (the output of the last state it completed, or the
 *   input of the state it was in), as the same execution. `redrive` is false for an execution that
 *   had not even begun (it simply starts). A callback task's attempt that was waiting keeps its
 *   token (`reuseToken`), so that what it dispatched is dispatched again under the same name.
 * - `succeed`: it had passed its last state; only the ending was lost.
 * - `abort`: it cannot be continued safely (`reason` says why): it is ended ABORTED, as before.
 *
 * Per state type, the state it stopped in (or the one it was about to enter) is:
 * - Pass, Choice, Succeed, Fail: run again; they only shape JSON.
 * - Wait: run again for the time it had left (with `Seconds`; `Timestamp` waits are absolute;
 *   `SecondsPath` and `TimestampPath` waits start over).
 * - Task: run again only when its own `Retry` already runs it again after an unknown outcome (it
 *   names `States.ALL`, `States.TaskFailed` or a Lambda service error): the definition then says a
 *   second run is safe. Retry counters and the state's `TimeoutSeconds` start over.
 * - Map, Parallel: run again whole, from its input, only when every state in its iterations or
 *   branches may run again by these same rules: which of them finished is not kept, so they all run
 *   again (run-policy's Map, whose steps answer again what they did, goes on this way).
 */
export type ResumePlan =
  | {
      readonly kind: 'run';
      readonly startAt: string;
      readonly input: unknown;
      readonly redrive: boolean;
      readonly reuseToken?: string;
      /** For a Wait state run again: when it was entered (ms since the epoch). */
      readonly waitingSince?: number;
    }
  | { readonly kind: 'succeed'; readonly output: string }
  | { readonly kind: 'abort'; readonly reason: string };

type StateJson = Record<string, unknown>;

/** Errors whose Retry means "this Task may run again after an outcome nobody heard". */
const RERUN_SAFE_ERRORS = new Set([
  'States.ALL',
  'States.TaskFailed',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
]);
const NESTING_TYPES = new Set(['Map', 'Parallel']);
const ATTEMPT_ENDINGS = new Set(['TaskFailed', 'TaskTimedOut', 'LambdaFunctionFailed']);

interface EnteredState {
  readonly name: string;
  readonly type: string;
  readonly input: string;
  readonly enteredAt: number;
  /** The events recorded between its entry and now (its attempts, and its branches' states). */
  readonly events: HistoryEvent[];
}

function isObject(value: unknown): value is StateJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parse(json: string): unknown {
  return JSON.parse(json);
}

/** The top-level state it is in (entered, not exited), and the last one it completed. */
function positionOf(events: readonly HistoryEvent[]): {
  open: EnteredState | undefined;
  completed: (EnteredState & { output: string }) | undefined;
} {
  let open: EnteredState | undefined;
  let completed: (EnteredState & { output: string }) | undefined;
  for (const event of events) {
    const name = String(event.details?.name ?? '');
    if (event.type.endsWith('StateEntered')) {
      // While a Map or Parallel runs, the states entered are its branches' own.
      if (open !== undefined && NESTING_TYPES.has(open.type)) {
        open.events.push(event);
        continue;
      }
      open = {
        name,
        type: event.type.slice(0, -'StateEntered'.length),
        input: String(event.details?.input ?? 'null'),
        enteredAt: event.timestamp,
        events: [],
      };
    } else if (event.type === `${open?.type}StateExited` && open?.name === name) {
      completed = { ...open, output: String(event.details?.output ?? 'null') };
      open = undefined;
    } else {
      open?.events.push(event);
    }
  }
  return { open, completed };
}

/** The states of a Map's iterations or a Parallel's branches, by name. */
function nestedStatesOf(state: StateJson): Array<[string, StateJson]> {
  const processors =
    state.Type === 'Map' ? [state.ItemProcessor ?? state.Iterator] : state.Branches;
  return (Array.isArray(processors) ? processors : []).flatMap((processor: unknown) =>
    isObject(processor) && isObject(processor.States)
      ? Object.entries(processor.States).filter((entry): entry is [string, StateJson] =>
          isObject(entry[1]),
        )
      : [],
  );
}

/** Why the state cannot be run again, or undefined when it can. */
function refusalOf(name: string, state: StateJson | undefined): string | undefined {
  if (state === undefined) return `its state ${name} is no longer in the definition`;
  const type = String(state.Type);
  if (NESTING_TYPES.has(type)) {
    const unsafe = nestedStatesOf(state).find(([inner, innerState]) =>
      refusalOf(inner, innerState),
    );
    return unsafe === undefined
      ? undefined
      : `it was in ${name}, a ${type} state whose finished branches would run again, and its ${unsafe[0]} may not`;
  }
  if (type !== 'Task') return undefined;
  const retried = (Array.isArray(state.Retry) ? state.Retry : [])
    .flatMap((retrier: unknown) => (isObject(retrier) ? retrier.ErrorEquals : []))
    .some((error: unknown) => typeof error === 'string' && RERUN_SAFE_ERRORS.has(error));
  return retried
    ? undefined
    : `it was in ${name}, a Task whose Retry does not say it may run again (no States.ALL, States.TaskFailed or Lambda service error)`;
}

/** The token of the state's last attempt, unless that attempt had ended in a failure. */
function waitingToken(record: ExecutionRecord, state: EnteredState): string | undefined {
  const scheduledAt = state.events.findLastIndex((event) => event.type === 'TaskScheduled');
  if (scheduledAt < 0) return undefined;
  if (state.events.slice(scheduledAt).some((event) => ATTEMPT_ENDINGS.has(event.type))) {
    return undefined;
  }
  const parameters = String(state.events[scheduledAt]?.details?.parameters ?? '');
  return record.taskTokens.findLast((token) => parameters.includes(token));
}

interface RunOptions {
  readonly redrive?: boolean;
  readonly reuseToken?: string | undefined;
  readonly waitingSince?: number | undefined;
}

/** Decides how an execution left RUNNING by a crash goes on (see ResumePlan). */
export function planResume(record: ExecutionRecord, definition: string): ResumePlan {
  const machine = parse(definition);
  const states = isObject(machine) && isObject(machine.States) ? machine.States : {};
  const stateOf = (name: string) => (isObject(states[name]) ? states[name] : undefined);
  const run = (startAt: string, input: unknown, options: RunOptions = {}): ResumePlan => {
    const refusal = refusalOf(startAt, stateOf(startAt));
    if (refusal !== undefined) return { kind: 'abort', reason: refusal };
    return {
      kind: 'run',
      startAt,
      input,
      redrive: options.redrive ?? true,
      ...(options.reuseToken === undefined ? {} : { reuseToken: options.reuseToken }),
      ...(options.waitingSince === undefined ? {} : { waitingSince: options.waitingSince }),
    };
  };
  const startAt = isObject(machine) ? String(machine.StartAt) : '';
  if (!record.events.some((event) => event.type === 'ExecutionStarted')) {
    return run(startAt, parse(record.input), { redrive: false });
  }
  const { open, completed } = positionOf(record.events);
  if (open !== undefined) {
    return run(open.name, parse(open.input), {
      // A Map or Parallel run again starts its iterations over, each Task with a new token.
      reuseToken: open.type === 'Task' ? waitingToken(record, open) : undefined,
      waitingSince: open.type === 'Wait' ? open.enteredAt : undefined,
    });
  }
  if (completed === undefined) return run(startAt, parse(record.input));
  const state = stateOf(completed.name);
  // A Choice picks its next state from its input: it is simply run again.
  if (state?.Type === 'Choice') return run(completed.name, parse(completed.input));
  if (state?.End === true || state?.Type === 'Succeed') {
    return { kind: 'succeed', output: completed.output };
  }
  if (typeof state?.Next !== 'string') {
    return { kind: 'abort', reason: `its state ${completed.name} has no next state` };
  }
  return run(state.Next, parse(completed.output));
}
