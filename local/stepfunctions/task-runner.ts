import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RunOptions } from 'aws-local-stepfunctions';
import { functionNameOf } from './arns.ts';
import type { TaskSpec } from './definition.ts';
import { executionClosedError, type TaskErrorInfo, taskError } from './task-errors.ts';
import type { CallbackOutcome, TaskTokens } from './task-tokens.ts';

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
/** What the runner calls in place of a Task state's resource. */
export type LocalHandler = LocalHandlers[string];
type JsonValue = Parameters<LocalHandler>[0];

/** Invokes local Lambda functions by name (see index.ts). */
export interface Invoker {
  invoke(functionName: string, payload: unknown): Promise<unknown>;
}

/** A task attempt in flight, which the execution can time out or abandon. */
export interface OpenAttempt {
  readonly stateName: string;
  /** When the runner's own TimeoutSeconds timer fails it (ms since the epoch). */
  readonly deadline: number;
  /** The runner failed the state with States.Timeout: record it and release the token. */
  timeOut(): void;
  /** The execution ended: record nothing more and release the token. */
  abandon(): void;
}

/** What a task attempt needs from its execution. */
export interface TaskContext {
  readonly region: string;
  readonly invoker: Invoker;
  readonly tokens: TaskTokens;
  /** The value `$$.Task.Token` resolves to in the runner; replaced by each attempt's own token. */
  readonly tokenPlaceholder: string;
  isClosed(): boolean;
  record(type: string, details?: Record<string, unknown>): void;
  rememberToken(token: string): void;
  /**
   * The token a callback task's attempt waited on before a restart, once: its first attempt since
   * then waits on it again, so what it dispatches is the same request as before.
   */
  takeReopenedToken(stateName: string): string | undefined;
  /** Writes the execution now: what a callback task is about to dispatch is on disk first. */
  persist(): Promise<void>;
  /** Registers an attempt until the returned function is called. */
  track(attempt: OpenAttempt): () => void;
}

/** The runner's default when a Task state sets no TimeoutSeconds. */
const RUNNER_DEFAULT_TIMEOUT_SECONDS = 60;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** Error and Cause as AWS reports a failed Lambda: the error type, and the runtime's JSON error. */
function lambdaErrorOf(thrown: unknown): TaskErrorInfo {
  if (!(thrown instanceof Error)) {
    return { error: 'Lambda.Unknown', cause: JSON.stringify({ errorMessage: String(thrown) }) };
  }
  return {
    error: thrown.name,
    cause: JSON.stringify({
      errorType: thrown.name,
      errorMessage: thrown.message,
      trace: (thrown.stack ?? '').split('\n'),
    }),
  };
}

function replaceToken(value: JsonValue, placeholder: string, token: string): JsonValue {
  if (typeof value === 'string') return value.replaceAll(placeholder, token);
  if (Array.isArray(value)) return value.map((item) => replaceToken(item, placeholder, token));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        replaceToken(item as JsonValue, placeholder, token),
      ]),
    );
  }
  return value;
}

/** Records one attempt's events in the family AWS uses for its resource, at most one ending. */
class Attempt implements OpenAttempt {
  readonly stateName: string;
  readonly deadline: number;
  private ended = false;
  private readonly untrack: () => void;
  private readonly ctx: TaskContext;
  private readonly prefix: 'Task' | 'LambdaFunction';
  private readonly base: Record<string, unknown>;
  private readonly onEnd: () => void;

  constructor(
    ctx: TaskContext,
    spec: TaskSpec,
    prefix: 'Task' | 'LambdaFunction',
    base: Record<string, unknown>,
    onEnd: () => void = () => {},
  ) {
    this.ctx = ctx;
    this.stateName = spec.stateName;
    this.prefix = prefix;
    this.base = base;
    this.onEnd = onEnd;
    this.deadline = Date.now() + (spec.timeoutSeconds ?? RUNNER_DEFAULT_TIMEOUT_SECONDS) * 1000;
    this.untrack = ctx.track(this);
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  record(suffix: string, details: Record<string, unknown>): void {
    if (this.ended) return;
    const merged = { ...this.base, ...details };
    this.ctx.record(`${this.prefix}${suffix}`, Object.keys(merged).length > 0 ? merged : undefined);
  }

  succeed(output: JsonValue): JsonValue {
    if (this.ended) throw executionClosedError();
    this.record('Succeeded', { output: JSON.stringify(output) });
    this.end();
    return output;
  }

  fail(info: TaskErrorInfo, suffix: 'Failed' | 'TimedOut' = 'Failed'): Error {
    if (this.ended) return executionClosedError();
    this.record(suffix, { error: info.error, cause: info.cause });
    this.end();
    return taskError(info);
  }

  timeOut(): void {
    this.fail(
      { error: 'States.Timeout', cause: `The task did not finish within its TimeoutSeconds` },
      'TimedOut',
    );
  }

  abandon(): void {
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.untrack();
    this.onEnd();
  }
}

function requireFunctionName(parameters: unknown): string {
  const reference = isObject(parameters) ? parameters.FunctionName : undefined;
  const name = typeof reference === 'string' ? functionNameOf(reference) : undefined;
  if (name === undefined) {
    throw taskError({
      error: 'States.Runtime',
      cause: `Parameters.FunctionName is not a Lambda function name or ARN: ${JSON.stringify(reference)}`,
    });
  }
  return name;
}

function payloadOf(parameters: JsonValue): unknown {
  return isObject(parameters) && 'Payload' in parameters ? parameters.Payload : {};
}

/** What `lambda:invoke` returns: the function's result under `Payload`, with the invoke metadata. */
function invokeResult(payload: unknown): JsonValue {
  const requestId = randomUUID();
  return toJson({
    ExecutedVersion: '$LATEST',
    Payload: payload ?? null,
    SdkHttpMetadata: {
      HttpHeaders: {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  });
}

function scheduledDetails(ctx: TaskContext, spec: TaskSpec, parameters: JsonValue) {
  return {
    region: ctx.region,
    parameters: JSON.stringify(parameters),
    ...(spec.timeoutSeconds === undefined ? {} : { timeoutInSeconds: spec.timeoutSeconds }),
    ...(spec.heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: spec.heartbeatSeconds }),
  };
}

async function runLambdaFunction(
  ctx: TaskContext,
  spec: Extract<TaskSpec, { kind: 'lambda-function' }>,
  input: JsonValue,
): Promise<JsonValue> {
  const attempt = new Attempt(ctx, spec, 'LambdaFunction', {});
  attempt.record('Scheduled', {
    resource: spec.resource,
    input: JSON.stringify(input),
    ...(spec.timeoutSeconds === undefined ? {} : { timeoutInSeconds: spec.timeoutSeconds }),
  });
  return invokeWithin(attempt, ctx, spec.functionName, input, toJson);
}

/** The attempt's `Started` event, then the function's result, or its error as the attempt's. */
async function invokeWithin(
  attempt: Attempt,
  ctx: TaskContext,
  functionName: string,
  payload: unknown,
  output: (result: unknown) => JsonValue,
): Promise<JsonValue> {
  attempt.record('Started', {});
  let result: unknown;
  try {
    result = await ctx.invoker.invoke(functionName, payload);
  } catch (thrown) {
    throw attempt.fail(lambdaErrorOf(thrown));
  }
  return attempt.succeed(output(result));
}

async function runLambdaInvoke(
  ctx: TaskContext,
  spec: TaskSpec,
  parameters: JsonValue,
): Promise<JsonValue> {
  const functionName = requireFunctionName(parameters);
  const attempt = new Attempt(ctx, spec, 'Task', { resourceType: 'lambda', resource: 'invoke' });
  attempt.record('Scheduled', scheduledDetails(ctx, spec, parameters));
  return invokeWithin(attempt, ctx, functionName, payloadOf(parameters), invokeResult);
}

/**
 * `lambda:invoke.waitForTaskToken`: a token of its own per attempt, the Lambda invoked with it, then the
 * task waits for SendTask* (or its heartbeat timeout). A callback may arrive before the invoke returns.
 */
async function runLambdaCallback(
  ctx: TaskContext,
  spec: TaskSpec,
  template: JsonValue,
): Promise<JsonValue> {
  const functionName = requireFunctionName(template);
  const reopened = ctx.takeReopenedToken(spec.stateName);
  const { token, outcome } = ctx.tokens.mint(spec.heartbeatSeconds, reopened);
  if (reopened === undefined) ctx.rememberToken(token);
  const release = () =>
    ctx.tokens.settle(token, { status: 'failed', error: 'States.Runtime', cause: 'abandoned' });
  const attempt = new Attempt(
    ctx,
    spec,
    'Task',
    { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' },
    release,
  );
  const parameters = replaceToken(template, ctx.tokenPlaceholder, token);
  attempt.record('Scheduled', scheduledDetails(ctx, spec, parameters));
  attempt.record('Started', {});
  // A restart then finds the token with the attempt, and dispatches the same request again.
  await ctx.persist();
  if (!attempt.isOpen) throw executionClosedError();
  ctx.invoker.invoke(functionName, payloadOf(parameters)).then(
    (result) => {
      if (attempt.isOpen)
        attempt.record('Submitted', { output: JSON.stringify(invokeResult(result)) });
    },
    (thrown: unknown) => {
      const info = lambdaErrorOf(thrown);
      ctx.tokens.settle(token, { status: 'failed', ...info });
    },
  );
  const ended: CallbackOutcome = await outcome;
  if (ended.status === 'succeeded') return attempt.succeed(toJson(ended.output));
  throw attempt.fail(ended, ended.status === 'timed-out' ? 'TimedOut' : 'Failed');
}

/** The local handler of one Task state. */
export function taskHandler(ctx: TaskContext, spec: TaskSpec): LocalHandler {
  return async (input) => {
    // The runner queues its StateEntered event just before calling here; letting it reach the history
    // first keeps the events in AWS's order.
    await nextTurn();
    if (ctx.isClosed()) throw executionClosedError();
    switch (spec.kind) {
      case 'lambda-function':
        return runLambdaFunction(ctx, spec, input);
      case 'lambda-invoke':
        return runLambdaInvoke(ctx, spec, input);
      case 'lambda-callback':
        return runLambdaCallback(ctx, spec, input);
    }
  };
}
