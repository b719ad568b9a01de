import type { StateMachine } from 'aws-local-stepfunctions';
import type { LocalClock, LocalTimer } from '../clock.ts';
import type { ParsedDefinition } from './definition.ts';
import { appendEvent, type ExecutionRecord, type ExecutionStatus } from './execution-record.ts';
import { type Invoker, type OpenAttempt, type TaskContext, taskHandler } from './task-runner.ts';
import type { TaskTokens } from './task-tokens.ts';

type RunnerEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface ExecutionRunOptions {
  record: ExecutionRecord;
  stateMachineName: string;
  definition: ParsedDefinition;
  region: string;
  roleArn: string;
  invoker: Invoker;
  tokens: TaskTokens;
  tokenPlaceholder: string;
  /**
   * Goes on with an execution a crash cut short (see resume.ts) instead of starting it: `definition`
   * then starts at the state it goes on from, with `input`; with `redrive`, the history records an
   * `ExecutionRedriven` event there rather than a second `ExecutionStarted`.
   */
  resume?: {
    readonly input: unknown;
    readonly redrive: boolean;
    /** The token a waiting callback task's attempt had, by state name. */
    readonly reopenedTokens: ReadonlyMap<string, string>;
  };
  /** The endpoint's time: history timestamps and the execution's TimeoutSeconds. */
  clock: LocalClock;
  /** The record changed (a new history event). */
  onChange: (record: ExecutionRecord) => void;
  /** Writes the record now. */
  persist: (record: ExecutionRecord) => Promise<void>;
  /** The record reached its final status. */
  onFinish: (record: ExecutionRecord) => void;
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** The runner's input type: any JSON value. */
function toJson(value: unknown): Parameters<StateMachine['run']>[0] {
  return JSON.parse(JSON.stringify(value ?? null));
}

function causeText(cause: unknown): string {
  return typeof cause === 'string' ? cause : JSON.stringify(cause ?? null);
}

/**
 * One execution in flight: runs the definition with every Task state handled locally, and turns the
 * runner's event log into an AWS execution history.
 */
export class ExecutionRun {
  readonly record: ExecutionRecord;
  private readonly options: ExecutionRunOptions;
  private readonly attempts = new Set<OpenAttempt>();
  private abortRunner: () => void = () => {};
  private timeout: LocalTimer | undefined;

  constructor(options: ExecutionRunOptions) {
    this.options = options;
    this.record = options.record;
  }

  get finished(): boolean {
    return this.record.status !== 'RUNNING';
  }

  start(): void {
    const { definition, record, tokens, tokenPlaceholder, resume } = this.options;
    const reopenedTokens = new Map(resume?.reopenedTokens);
    if (resume?.redrive) {
      record.redriveCount = (record.redriveCount ?? 0) + 1;
      record.redriveDate = this.options.clock.nowMs();
      this.append('ExecutionRedriven', { redriveCount: record.redriveCount });
    }
    const ctx: TaskContext = {
      region: this.options.region,
      invoker: this.options.invoker,
      tokens,
      tokenPlaceholder,
      isClosed: () => this.finished,
      record: (type, details) => this.append(type, details),
      rememberToken: (token) => {
        record.taskTokens.push(token);
      },
      takeReopenedToken: (stateName) => {
        const token = reopenedTokens.get(stateName);
        reopenedTokens.delete(stateName);
        return token;
      },
      persist: () => this.options.persist(record),
      track: (attempt) => {
        this.attempts.add(attempt);
        return () => this.attempts.delete(attempt);
      },
    };
    const handlers = Object.fromEntries(
      [...definition.tasks.values()].map((spec) => [spec.stateName, taskHandler(ctx, spec)]),
    );
    const run = definition.machine.run(resume ? toJson(resume.input) : JSON.parse(record.input), {
      overrides: { taskResourceLocalHandlers: handlers },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: record.executionArn, Name: record.name, RoleArn: this.options.roleArn },
        StateMachine: { Id: record.stateMachineArn, Name: this.options.stateMachineName },
        Task: { Token: tokenPlaceholder },
      },
    });
    this.abortRunner = run.abort;
    const { timeoutSeconds } = definition;
    if (timeoutSeconds !== undefined) {
      const left = record.startDate + timeoutSeconds * 1000 - this.options.clock.nowMs();
      this.timeout = this.options.clock.setTimeout(() => this.timeOut(), left);
    }
    // The outcome is read from the event log, which carries Error and Cause as AWS reports them.
    run.result.catch(() => {});
    this.follow(run.eventLogs).catch((error: unknown) => {
      if (this.finished) return;
      this.finish('FAILED', 'ExecutionFailed', {
        error: 'States.Runtime',
        cause: `The local runner failed: ${String(error)}`,
      });
      this.abortRunner();
    });
  }

  /** StopExecution, or the endpoint shutting down. No-op once finished. */
  stop(error: string | undefined, cause: string | undefined): void {
    if (this.finished) return;
    this.finish('ABORTED', 'ExecutionAborted', {
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.abortRunner();
  }

  /** The execution ran past its state machine's TimeoutSeconds, on the endpoint's clock. */
  private timeOut(): void {
    if (this.finished) return;
    this.finish('TIMED_OUT', 'ExecutionTimedOut', {
      error: 'States.Timeout',
      cause: 'The execution did not finish within the TimeoutSeconds of its state machine',
    });
    this.abortRunner();
  }

  private async follow(events: AsyncGenerator<RunnerEvent>): Promise<void> {
    for await (const event of events) {
      if (this.finished) break;
      this.translate(event);
    }
  }

  private append(
    type: string,
    details?: Record<string, unknown>,
    timestamp = this.options.clock.nowMs(),
  ): void {
    appendEvent(this.record, type, details, timestamp);
    this.options.onChange(this.record);
  }

  private finish(
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    eventType: string,
    fields: { output?: string; error?: string; cause?: string },
    timestamp = this.options.clock.nowMs(),
  ): void {
    this.options.clock.clearTimeout(this.timeout);
    Object.assign(this.record, { status, stopDate: timestamp }, fields);
    const details: Record<string, unknown> = { ...fields };
    if (fields.output !== undefined) details.outputDetails = { truncated: false };
    this.append(eventType, Object.keys(details).length > 0 ? details : undefined, timestamp);
    for (const attempt of [...this.attempts]) attempt.abandon();
    this.options.onFinish(this.record);
  }

  /** The runner failed a Task with its own TimeoutSeconds timer: the attempt closest to it timed out. */
  private timeOutAttempt(stateName: string): void {
    let due: OpenAttempt | undefined;
    for (const attempt of this.attempts) {
      if (attempt.stateName !== stateName) continue;
      if (due === undefined || attempt.deadline < due.deadline) due = attempt;
    }
    due?.timeOut();
  }

  private translate(event: RunnerEvent): void {
    // The runner stamps events with the machine's time; the history reads the endpoint's clock.
    const at = event.timestamp + this.options.clock.offsetMs;
    switch (event.type) {
      case 'ExecutionStarted':
        // Gone on with after a crash: it started long ago, and `ExecutionRedriven` says it goes on.
        if (this.options.resume?.redrive) return;
        this.append(
          'ExecutionStarted',
          {
            input: json(event.input),
            inputDetails: { truncated: false },
            roleArn: this.options.roleArn,
          },
          at,
        );
        return;
      case 'ExecutionSucceeded':
        this.finish('SUCCEEDED', 'ExecutionSucceeded', { output: json(event.output) }, at);
        return;
      case 'ExecutionFailed':
        this.finish(
          'FAILED',
          'ExecutionFailed',
          { error: event.Error, cause: causeText(event.Cause) },
          at,
        );
        return;
      case 'ExecutionAborted':
        this.finish('ABORTED', 'ExecutionAborted', {}, at);
        return;
      case 'StateEntered': {
        const { name, type, input } = event.state;
        this.append(
          `${type}StateEntered`,
          { name, input: json(input), inputDetails: { truncated: false } },
          at,
        );
        if (type === 'Parallel' || type === 'Map')
          this.append(`${type}StateStarted`, undefined, at);
        return;
      }
      case 'StateExited': {
        const { name, type, output } = event.state;
        if (type === 'Parallel' || type === 'Map') {
          this.append(`${type}StateSucceeded`, undefined, at);
        }
        this.append(
          `${type}StateExited`,
          { name, output: json(output), outputDetails: { truncated: false } },
          at,
        );
        return;
      }
      case 'StateFailed': {
        const { name, type } = event.state;
        if (type === 'Task' && event.Error === 'States.Timeout') this.timeOutAttempt(name);
        if (type === 'Parallel' || type === 'Map') this.append(`${type}StateFailed`, undefined, at);
        return;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.append(event.type, { name: event.parentState.name, index: event.index }, at);
        return;
      default:
        // Retries, catches and branch events have no history event of their own in AWS.
        return;
    }
  }
}
