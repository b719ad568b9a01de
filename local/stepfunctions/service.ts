import { createHash, randomUUID } from 'node:crypto';
import { ServiceError } from '../aws-json-error.ts';
import { LocalClock } from '../clock.ts';
import { executionArnOf, localRoleArn, stateMachineArnOf } from './arns.ts';
import { type ParsedDefinition, parseDefinition, resumedDefinition } from './definition.ts';
import {
  appendEvent,
  describeExecution,
  type ExecutionRecord,
  type ExecutionStatus,
  listedExecution,
  wireEvent,
} from './execution-record.ts';
import { ExecutionRun, type ExecutionRunOptions } from './execution-run.ts';
import {
  optionalBoolean,
  optionalString,
  paginate,
  type Request,
  requireString,
  requireValidName,
} from './requests.ts';
import { planResume, type ResumePlan } from './resume.ts';
import type { Store } from './store.ts';
import type { Invoker } from './task-runner.ts';
import { TaskTokens } from './task-tokens.ts';

interface StateMachineEntry {
  name: string;
  arn: string;
  definition: string;
  parsed: ParsedDefinition;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
}

export interface ServiceOptions {
  region: string;
  accountId: string;
  workflows: readonly { name: string; definition: string }[];
  invoker: Invoker;
  store: Store;
  log: (message: string) => void;
  /** The endpoint's time (history, heartbeat and execution timeouts); the machine's by default. */
  clock?: LocalClock;
  /** Hears every execution that ends, as Step Functions puts its status change on the bus. */
  onStatusChange?: (record: ExecutionRecord) => void;
  /**
   * Executions a crash cut short wait for `resumeInterrupted` rather than going on as the service
   * opens: the local cloud calls it once what their next steps need (the agents, the gateway their
   * callbacks come through) is up.
   */
  deferResume?: boolean;
}

/** An action of the JSON protocol: the request body in, the response body out. */
export type Action = (request: Request) => unknown;

const SHUTDOWN_CAUSE = 'The local Step Functions endpoint stopped while the execution was running';
const STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
];

function stateMachineNameOf(stateMachineArn: string): string {
  return stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1);
}

/** The Step Functions API over the state machines, executions and task tokens of the local cloud. */
export class StepFunctionsService {
  private readonly options: ServiceOptions;
  private readonly machines = new Map<string, StateMachineEntry>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly runs = new Map<string, ExecutionRun>();
  private readonly clock: LocalClock;
  private readonly tokens: TaskTokens;
  /** What `$$.Task.Token` resolves to in the runner; each callback task swaps in its own token. */
  private readonly tokenPlaceholder = `local-task-token-${randomUUID()}`;
  /**
   * Hashes of the definitions the runner's validator has accepted (kept in the data directory): it
   * takes about a second of CPU per definition, which a restart need not spend again.
   */
  private validated = new Set<string>();
  /** Executions found RUNNING at start-up (the endpoint died under them), until resumed. */
  private readonly interrupted = new Map<string, ExecutionRecord>();
  private lastSeq = 0;
  /** Set by `close`: executions stopped from then on have their status change put at the next start. */
  private closing = false;

  private constructor(options: ServiceOptions) {
    this.options = options;
    this.clock = options.clock ?? new LocalClock();
    this.tokens = new TaskTokens(this.clock);
  }

  /** Loads what the data directory holds, then registers the configured workflows. */
  static async open(options: ServiceOptions): Promise<StepFunctionsService> {
    const service = new StepFunctionsService(options);
    service.validated = await options.store.loadValidatedDefinitions();
    const validatedBefore = service.validated.size;
    for (const stored of await options.store.loadStateMachines()) {
      try {
        service.register(stored.name, stored.definition, stored.roleArn, stored.creationDate);
      } catch (error) {
        options.log(`state machine ${stored.name} not restored: ${(error as Error).message}`);
      }
    }
    for (const workflow of options.workflows) {
      try {
        service.register(workflow.name, workflow.definition);
      } catch (error) {
        throw new Error(`Workflow ${workflow.name}: ${(error as Error).message}`);
      }
    }
    if (service.validated.size > validatedBefore) {
      await options.store.saveValidatedDefinitions(service.validated);
    }
    await service.restoreExecutions();
    if (!options.deferResume) await service.resumeInterrupted();
    return service;
  }

  readonly actions: Record<string, Action> = {
    CreateStateMachine: (request) => this.createStateMachine(request),
    DescribeStateMachine: (request) => this.describeStateMachine(request),
    ListStateMachines: (request) => this.listStateMachines(request),
    StartExecution: (request) => this.startExecution(request),
    DescribeExecution: (request) => describeExecution(this.requireExecution(request)),
    ListExecutions: (request) => this.listExecutions(request),
    GetExecutionHistory: (request) => this.getExecutionHistory(request),
    StopExecution: (request) => this.stopExecution(request),
    SendTaskSuccess: (request) => this.sendTaskSuccess(request),
    SendTaskFailure: (request) => {
      this.tokens.fail(
        requireString(request, 'taskToken'),
        optionalString(request, 'error') ?? '',
        optionalString(request, 'cause') ?? '',
      );
      return {};
    },
    SendTaskHeartbeat: (request) => {
      this.tokens.heartbeat(requireString(request, 'taskToken'));
      return {};
    },
  };

  stateMachineArn(name: string): string {
    return stateMachineArnOf(this.options.region, this.options.accountId, name);
  }

  /**
   * Stops every running execution (recorded as ABORTED with a cause) and writes everything. Their
   * status changes are not put: the bus is stopping too. The next start-up finds them ABORTED
   * without one and puts it then.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const run of this.runs.values()) run.stop(undefined, SHUTDOWN_CAUSE);
    await this.options.store.flush();
  }

  private register(
    name: string,
    definition: string,
    roleArn = localRoleArn(this.options.accountId),
    creationDate = this.clock.nowMs(),
  ): StateMachineEntry {
    const hash = createHash('sha256').update(definition).digest('hex');
    const parsed = parseDefinition(definition, { validated: this.validated.has(hash) });
    this.validated.add(hash);
    const entry: StateMachineEntry = {
      name,
      arn: this.stateMachineArn(name),
      definition,
      parsed,
      roleArn,
      type: 'STANDARD',
      creationDate,
    };
    this.machines.set(name, entry);
    return entry;
  }

  /**
   * Goes on with each execution the endpoint died under, from where its history says it was (see
   * resume.ts), as the same execution; one that cannot go on safely is ended ABORTED with its
   * status change, so that its operation is finished by the reconciler.
   */
  async resumeInterrupted(): Promise<void> {
    for (const record of [...this.interrupted.values()]) {
      this.interrupted.delete(record.executionArn);
      const machine = this.machines.get(stateMachineNameOf(record.stateMachineArn));
      const plan: ResumePlan =
        machine === undefined
          ? { kind: 'abort', reason: 'its state machine no longer exists' }
          : planResume(record, machine.definition);
      // One past its TimeoutSeconds (on the endpoint's clock, from its first start) times out
      // as soon as it goes on.
      if (plan.kind === 'run' && machine !== undefined) {
        this.resumeRun(record, machine, plan);
        continue;
      }
      if (plan.kind === 'succeed') {
        const stopDate = this.clock.nowMs();
        Object.assign(record, { status: 'SUCCEEDED', stopDate, output: plan.output });
        appendEvent(
          record,
          'ExecutionSucceeded',
          { output: plan.output, outputDetails: { truncated: false } },
          stopDate,
        );
      } else {
        this.endInterrupted(record, 'ABORTED', 'ExecutionAborted', {
          cause: `${SHUTDOWN_CAUSE}, and it cannot go on from there: ${plan.kind === 'abort' ? plan.reason : 'its state machine no longer exists'}`,
        });
      }
      this.options.log(`execution ${record.executionArn} ${record.status} at start-up`);
      this.options.onStatusChange?.(record);
      await this.options.store.saveExecution(record, stateMachineNameOf(record.stateMachineArn));
    }
  }

  private async restoreExecutions(): Promise<void> {
    const { store } = this.options;
    for (const record of await store.loadExecutions()) {
      this.executions.set(record.executionArn, record);
      this.tokens.rememberClosed(record.taskTokens);
      this.lastSeq = Math.max(this.lastSeq, record.seq);
      // The endpoint died without a chance to close it: resumeInterrupted decides what follows.
      if (record.status === 'RUNNING') this.interrupted.set(record.executionArn, record);
      if (record.statusChangePending) {
        // Its status change was never put: it goes out now, so that its operation is finished.
        this.options.onStatusChange?.(record);
        delete record.statusChangePending;
        await store.saveExecution(record, stateMachineNameOf(record.stateMachineArn));
      }
    }
  }

  /** Ends an execution found cut short without running it: its ending as AWS records it. */
  private endInterrupted(
    record: ExecutionRecord,
    status: 'ABORTED' | 'TIMED_OUT',
    eventType: string,
    fields: { error?: string; cause?: string },
    stopDate = record.events.at(-1)?.timestamp ?? record.startDate,
  ): void {
    Object.assign(record, { status, stopDate }, fields);
    appendEvent(record, eventType, fields, stopDate);
  }

  private resumeRun(
    record: ExecutionRecord,
    machine: StateMachineEntry,
    plan: Extract<ResumePlan, { kind: 'run' }>,
  ): void {
    const definition = resumedDefinition(machine.definition, {
      startAt: plan.startAt,
      ...(plan.waitingSince === undefined
        ? {}
        : { waitedSeconds: Math.floor((this.clock.nowMs() - plan.waitingSince) / 1000) }),
    });
    this.options.log(
      `execution ${record.executionArn} goes on at ${plan.startAt}${plan.reuseToken === undefined ? '' : ', its task token reopened'}`,
    );
    this.runExecution(record, machine, definition, {
      input: plan.input,
      redrive: plan.redrive,
      reopenedTokens: new Map(
        plan.reuseToken === undefined ? [] : [[plan.startAt, plan.reuseToken]],
      ),
    });
  }

  private requireMachine(request: Request): StateMachineEntry {
    const arn = requireString(request, 'stateMachineArn');
    const entry = this.machines.get(stateMachineNameOf(arn));
    if (entry === undefined || entry.arn !== arn) {
      throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
    return entry;
  }

  private requireExecution(request: Request): ExecutionRecord {
    const arn = requireString(request, 'executionArn');
    const record = this.executions.get(arn);
    if (record === undefined) {
      throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    }
    return record;
  }

  private async createStateMachine(request: Request) {
    const name = requireValidName(requireString(request, 'name'), 'state machine name');
    const definition = requireString(request, 'definition');
    const roleArn = optionalString(request, 'roleArn') ?? localRoleArn(this.options.accountId);
    const existing = this.machines.get(name);
    if (existing !== undefined) {
      if (existing.definition !== definition || existing.roleArn !== roleArn) {
        throw new ServiceError(
          'StateMachineAlreadyExists',
          `State Machine Already Exists: '${existing.arn}'`,
        );
      }
      return { stateMachineArn: existing.arn, creationDate: existing.creationDate / 1000 };
    }
    const entry = this.register(name, definition, roleArn);
    await this.options.store.saveValidatedDefinitions(this.validated);
    await this.options.store.saveStateMachine({
      name,
      definition,
      roleArn,
      creationDate: entry.creationDate,
    });
    return { stateMachineArn: entry.arn, creationDate: entry.creationDate / 1000 };
  }

  private describeStateMachine(request: Request) {
    const entry = this.requireMachine(request);
    return {
      stateMachineArn: entry.arn,
      name: entry.name,
      status: 'ACTIVE',
      definition: entry.definition,
      roleArn: entry.roleArn,
      type: entry.type,
      creationDate: entry.creationDate / 1000,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  private listStateMachines(request: Request) {
    const sorted = [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(
      sorted,
      request,
      (entry) => entry.name,
      (entry, key) => entry.name.localeCompare(String(key)) > 0,
    );
    return {
      stateMachines: page.items.map((entry) => ({
        stateMachineArn: entry.arn,
        name: entry.name,
        type: entry.type,
        creationDate: entry.creationDate / 1000,
      })),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }

  private async startExecution(request: Request) {
    const machine = this.requireMachine(request);
    const name = requireValidName(
      optionalString(request, 'name') ?? randomUUID(),
      'execution name',
    );
    const input = optionalString(request, 'input') ?? '{}';
    try {
      JSON.parse(input);
    } catch (error) {
      throw new ServiceError(
        'InvalidExecutionInput',
        `Invalid execution input: ${(error as Error).message}`,
      );
    }
    const { region, accountId } = this.options;
    const executionArn = executionArnOf(region, accountId, machine.name, name);
    const existing = this.executions.get(executionArn);
    if (existing !== undefined) {
      // Like AWS: the same name and input while it runs is a retry of the same start.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate / 1000 };
      }
      throw new ServiceError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${executionArn}'`,
      );
    }
    const record: ExecutionRecord = {
      seq: ++this.lastSeq,
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      input,
      startDate: this.clock.nowMs(),
      taskTokens: [],
      events: [],
    };
    this.executions.set(executionArn, record);
    // Durable before it is answered or runs a step, as in AWS: a crash right after the start still
    // finds it at the next start (ABORTED, with its status change for the reconciler).
    try {
      await this.options.store.saveExecution(record, machine.name);
    } catch (error) {
      this.executions.delete(executionArn);
      throw error;
    }
    this.runExecution(record, machine, machine.parsed);
    return { executionArn, startDate: record.startDate / 1000 };
  }

  private runExecution(
    record: ExecutionRecord,
    machine: StateMachineEntry,
    definition: ParsedDefinition,
    resume?: ExecutionRunOptions['resume'],
  ): void {
    const run = new ExecutionRun({
      record,
      stateMachineName: machine.name,
      definition,
      region: this.options.region,
      roleArn: machine.roleArn,
      invoker: this.options.invoker,
      tokens: this.tokens,
      tokenPlaceholder: this.tokenPlaceholder,
      ...(resume === undefined ? {} : { resume }),
      clock: this.clock,
      onChange: (changed) => this.options.store.saveExecutionSoon(changed, machine.name),
      persist: (changed) =>
        this.options.store.saveExecution(changed, machine.name).catch((error: unknown) => {
          this.options.log(`execution ${changed.executionArn} not saved: ${String(error)}`);
        }),
      onFinish: (finished) => this.finished(finished, machine.name),
    });
    this.runs.set(record.executionArn, run);
    run.start();
  }

  private finished(record: ExecutionRecord, stateMachineName: string): void {
    this.runs.delete(record.executionArn);
    const outcome = record.error === undefined ? '' : `: ${record.error}`;
    this.options.log(`execution ${record.executionArn} ${record.status}${outcome}`);
    if (this.closing) record.statusChangePending = true;
    else this.options.onStatusChange?.(record);
    this.options.store.saveExecution(record, stateMachineName).catch((error: unknown) => {
      this.options.log(`execution ${record.executionArn} not saved: ${String(error)}`);
    });
  }

  private listExecutions(request: Request) {
    const stateMachineArn = requireString(request, 'stateMachineArn');
    const statusFilter = optionalString(request, 'statusFilter');
    if (statusFilter !== undefined && !STATUSES.includes(statusFilter as ExecutionStatus)) {
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`,
      );
    }
    const matching = [...this.executions.values()]
      .filter((record) => record.stateMachineArn === stateMachineArn)
      .filter((record) => statusFilter === undefined || record.status === statusFilter)
      .sort((a, b) => b.seq - a.seq);
    if (matching.length === 0) this.requireMachine(request);
    const page = paginate(
      matching,
      request,
      (record) => record.seq,
      (record, key) => record.seq < Number(key),
    );
    return {
      executions: page.items.map(listedExecution),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }

  private getExecutionHistory(request: Request) {
    const record = this.requireExecution(request);
    const reverse = optionalBoolean(request, 'reverseOrder') ?? false;
    const includeData = optionalBoolean(request, 'includeExecutionData') ?? true;
    const ordered = reverse ? [...record.events].reverse() : record.events;
    const page = paginate(
      ordered,
      request,
      (event) => event.id,
      (event, key) => (reverse ? event.id < Number(key) : event.id > Number(key)),
    );
    return {
      events: page.items.map((event) => wireEvent(event, includeData)),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }

  private stopExecution(request: Request) {
    const record = this.requireExecution(request);
    const error = optionalString(request, 'error');
    const cause = optionalString(request, 'cause');
    if (this.interrupted.delete(record.executionArn)) {
      // Stopped before start-up went on with it: it ends here, as a running one would.
      this.endInterrupted(
        record,
        'ABORTED',
        'ExecutionAborted',
        { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) },
        this.clock.nowMs(),
      );
      this.finished(record, stateMachineNameOf(record.stateMachineArn));
    }
    this.runs.get(record.executionArn)?.stop(error, cause);
    return { stopDate: (record.stopDate ?? this.clock.nowMs()) / 1000 };
  }

  private sendTaskSuccess(request: Request) {
    const token = requireString(request, 'taskToken');
    const text = requireString(request, 'output');
    let output: unknown;
    try {
      output = JSON.parse(text);
    } catch (error) {
      throw new ServiceError('InvalidOutput', `Invalid Output: ${(error as Error).message}`);
    }
    this.tokens.succeed(token, output);
    return {};
  }
}
