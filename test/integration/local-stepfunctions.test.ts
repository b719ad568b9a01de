import { EventEmitter, once } from 'node:events';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidDefinition,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  paginateGetExecutionHistory,
  paginateListExecutions,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { LocalClock } from '../../local/clock.ts';
import type { ExecutionRecord } from '../../local/stepfunctions/execution-record.ts';
import {
  type LambdaInvoker,
  localFunctionArn,
  type StepFunctionsEndpoint,
  startStepFunctions,
  substitutePlaceholders,
} from '../../local/stepfunctions/index.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const FIXTURES = join(import.meta.dirname, '../fixtures/state-machines');

const SUBSTITUTIONS = {
  DispatchCommandFunctionArn: localFunctionArn(REGION, ACCOUNT, 'dispatch-command'),
  MeasureFunctionArn: localFunctionArn(REGION, ACCOUNT, 'measure'),
  FlakyFunctionArn: localFunctionArn(REGION, ACCOUNT, 'flaky'),
};

function fixture(name: string): string {
  return substitutePlaceholders(
    readFileSync(join(FIXTURES, `${name}.asl.json`), 'utf8'),
    SUBSTITUTIONS,
  );
}

const WORKFLOWS = ['callback', 'retry', 'deadline', 'fan-out', 'hold', 'resumable'].map((name) => ({
  name,
  definition: fixture(name),
}));

interface Call {
  functionName: string;
  payload: unknown;
  at: number;
}

type FakeHandler = (payload: unknown) => unknown;

/** Stand-in Lambdas: they record every call, and tests script how each answers. */
class FakeLambdas implements LambdaInvoker {
  readonly calls: Call[] = [];
  readonly handlers = new Map<string, FakeHandler>();
  private readonly arrivals = new EventEmitter();

  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    this.calls.push({ functionName, payload, at: Date.now() });
    this.arrivals.emit('call');
    const handler = this.handlers.get(functionName);
    if (handler === undefined) return { ok: true };
    return handler(payload);
  }

  callsTo(functionName: string): Call[] {
    return this.calls.filter((call) => call.functionName === functionName);
  }

  /** The payload of the first call to functionName that satisfies match, waiting for it. */
  async nextPayload(
    functionName: string,
    match: (payload: Record<string, unknown>) => boolean = () => true,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const call = this.callsTo(functionName).find((c) =>
        match(c.payload as Record<string, unknown>),
      );
      if (call !== undefined) return call.payload as Record<string, unknown>;
      if (Date.now() > deadline) throw new Error(`no call to ${functionName}`);
      await Promise.race([once(this.arrivals, 'call'), sleep(50)]);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function finished(
  client: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    if (Date.now() > deadline) throw new Error(`${executionArn} still running`);
    await sleep(25);
  }
}

async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
  return events ?? [];
}

function enteredStates(events: HistoryEvent[]): string[] {
  return events.flatMap((event) =>
    event.type?.endsWith('StateEntered') ? [event.stateEnteredEventDetails?.name ?? '?'] : [],
  );
}

/** Every status change the shared endpoint told, as the local bus would receive them. */
const statusChanges: ExecutionRecord[] = [];

/** How the history of an execution opens when its first state is a callback task. */
const CALLBACK_TASK_OPENED = [
  'ExecutionStarted',
  'TaskStateEntered',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
];

describe.concurrent('startStepFunctions', () => {
  const dataDirs: string[] = [];
  let lambdas: FakeLambdas;
  let endpoint: StepFunctionsEndpoint;
  let client: SFNClient;

  function newDataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'local-sfn-'));
    dataDirs.push(dir);
    return dir;
  }

  /** What an endpoint of a test's own needs: a fresh data directory and only `workflows`. */
  function ownEndpointOptions(workflows: readonly string[]) {
    return {
      port: 0,
      dataDir: newDataDir(),
      region: REGION,
      accountId: ACCOUNT,
      workflows: WORKFLOWS.filter((workflow) => workflows.includes(workflow.name)),
      invoker: lambdas,
    };
  }

  async function start(name: string, input: unknown, executionName?: string) {
    const started = await client.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.stateMachineArn(name),
        input: JSON.stringify(input),
        ...(executionName === undefined ? {} : { name: executionName }),
      }),
    );
    return { executionArn: started.executionArn ?? '', startDate: started.startDate };
  }

  /** SendTaskSuccess for the task a dispatch was given, with `output`. */
  const successOf = (payload: Record<string, unknown>, output = '{}') =>
    new SendTaskSuccessCommand({ taskToken: String(payload.taskToken), output });
  /** What the execution's callback task handed to dispatch-command, its task token among it. */
  const dispatchedBy = (executionArn: string | undefined) =>
    lambdas.nextPayload('dispatch-command', (p) => p.executionId === executionArn);

  beforeAll(async () => {
    lambdas = new FakeLambdas();
    lambdas.handlers.set('measure', (payload) => ({ size: JSON.stringify(payload).length }));
    let unreachable = true;
    lambdas.handlers.set('dispatch-command', (payload) => {
      if ((payload as { command?: string }).command === 'dispatch-twice' && unreachable) {
        unreachable = false;
        throw Object.assign(new Error('agent unreachable'), { name: 'DispatchUnavailable' });
      }
      return { accepted: true };
    });
    let flakyAttempts = 0;
    lambdas.handlers.set('flaky', () => {
      flakyAttempts += 1;
      if (flakyAttempts < 3) {
        throw Object.assign(new Error(`attempt ${flakyAttempts}`), { name: 'Transient' });
      }
      return { attempt: flakyAttempts };
    });
    endpoint = await startStepFunctions({
      port: 0,
      dataDir: newDataDir(),
      region: REGION,
      accountId: ACCOUNT,
      workflows: WORKFLOWS,
      invoker: lambdas,
      onStatusChange: (record) => statusChanges.push(structuredClone(record)),
    });
    client = sfnClient(endpoint.url);
  });

  afterAll(async () => {
    client.destroy();
    await endpoint.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('hands the callback task token to the Lambda and resumes on SendTaskSuccess', async ({
    expect,
  }) => {
    const { executionArn } = await start('callback', { command: 'capture' });
    const payload = await dispatchedBy(executionArn);

    await client.send(successOf(payload, JSON.stringify({ bytes: 42 })));
    const execution = await finished(client, executionArn);

    expect(payload.command).toBe('capture');
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({
      command: 'capture',
      result: { bytes: 42 },
    });
  });

  /**
   * An endpoint of its own on a clock the test moves: the shared endpoint's tasks run concurrently,
   * and moving their clock would time them out too. It closes when the test ends, through the
   * test's own `onTestFinished` (tests here run concurrently).
   */
  async function onOwnClock(
    workflows: readonly string[],
    onTestFinished: (close: () => Promise<void>) => void,
  ) {
    const clock = new LocalClock();
    const changes: ExecutionRecord[] = [];
    const own = await startStepFunctions({
      ...ownEndpointOptions(workflows),
      clock,
      onStatusChange: (record) => changes.push(structuredClone(record)),
    });
    const ownClient = sfnClient(own.url);
    const begin = async (name: string, input: unknown) => {
      const started = await ownClient.send(
        new StartExecutionCommand({
          stateMachineArn: own.stateMachineArn(name),
          input: JSON.stringify(input),
        }),
      );
      return started.executionArn ?? '';
    };
    onTestFinished(async () => {
      ownClient.destroy();
      await own.close();
    });
    return { clock, client: ownClient, begin, changes };
  }

  /**
   * The callback workflow started with `command` on an endpoint of its own clock, once its task
   * has been dispatched: the clock, the endpoint's client, the execution and the task's token.
   */
  async function callbackOnOwnClock(
    command: string,
    onTestFinished: (close: () => Promise<void>) => void,
  ) {
    const { clock, client: own, begin } = await onOwnClock(['callback'], onTestFinished);
    const executionArn = await begin('callback', { command });
    const payload = await dispatchedBy(executionArn);
    return { clock, own, executionArn, taskToken: String(payload.taskToken) };
  }

  it('keeps a callback task alive while heartbeats arrive, on the clock it runs on', async ({
    expect,
    onTestFinished,
  }) => {
    const { clock, own, executionArn, taskToken } = await callbackOnOwnClock(
      'upload',
      onTestFinished,
    );

    // Eight beats a second apart on its clock: longer than the task's HeartbeatSeconds (3).
    for (let beat = 0; beat < 8; beat++) {
      clock.advance(1_000);
      await own.send(new SendTaskHeartbeatCommand({ taskToken }));
    }
    await own.send(new SendTaskSuccessCommand({ taskToken, output: '"done"' }));
    const execution = await finished(own, executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({ command: 'upload', result: 'done' });
  });

  it('fails a silent callback task with States.HeartbeatTimeout once its clock passes HeartbeatSeconds, which Catch routes to recovery', async ({
    expect,
    onTestFinished,
  }) => {
    const { clock, own, executionArn, taskToken } = await callbackOnOwnClock(
      'silent',
      onTestFinished,
    );

    // The clock also runs at the machine's pace: a second short of the timeout leaves a loaded
    // machine time to answer before the rest of it passes.
    clock.advance(2_000);
    const beforeTimeout = (await own.send(new DescribeExecutionCommand({ executionArn }))).status;
    clock.advance(1_000);
    const execution = await finished(own, executionArn);
    const events = await history(own, executionArn);
    const late = await own
      .send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))
      .catch((error: unknown) => error);

    expect(beforeTimeout).toBe('RUNNING');
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({
      recovered: true,
      error: 'States.HeartbeatTimeout',
    });
    expect(events.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails?.error).toBe(
      'States.HeartbeatTimeout',
    );
    expect(enteredStates(events)).toEqual(['RunAgentCommand', 'RecoverFromSilence']);
    expect(late).toBeInstanceOf(TaskTimedOut);
  });

  it("times an execution out at its state machine's TimeoutSeconds on the endpoint's clock, stamping the history with that clock", async ({
    expect,
    onTestFinished,
  }) => {
    const { clock, client: own, begin, changes } = await onOwnClock(['hold'], onTestFinished);
    const executionArn = await begin('hold', {});
    const started = await own.send(new DescribeExecutionCommand({ executionArn }));

    clock.advance(119_000);
    const beforeTimeout = (await own.send(new DescribeExecutionCommand({ executionArn }))).status;
    clock.advance(1_000);
    const execution = await finished(own, executionArn);
    const events = await history(own, executionArn);

    expect(beforeTimeout).toBe('RUNNING');
    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    const ranFor = (execution.stopDate?.getTime() ?? 0) - (started.startDate?.getTime() ?? 0);
    expect(ranFor).toBeGreaterThanOrEqual(120_000);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionTimedOut',
      timestamp: execution.stopDate,
    });
    expect(changes.map((record) => [record.executionArn, record.status])).toEqual([
      [executionArn, 'TIMED_OUT'],
    ]);
  });

  it('routes a SendTaskFailure error name to the Catch that names it', async ({ expect }) => {
    const { executionArn } = await start('callback', { command: 'fill-disk' });
    const payload = await dispatchedBy(executionArn);

    await client.send(
      new SendTaskFailureCommand({
        taskToken: String(payload.taskToken),
        error: 'AgentDiskFull',
        cause: 'no space left on /var/lib/slices',
      }),
    );
    const execution = await finished(client, executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({
      compensated: true,
      error: 'AgentDiskFull',
      cause: 'no space left on /var/lib/slices',
    });
  });

  it('fails the task with the Lambda error name and mints a new token for the retry', async ({
    expect,
  }) => {
    const { executionArn } = await start('callback', { command: 'dispatch-twice' });

    const tokens = () =>
      lambdas
        .callsTo('dispatch-command')
        .map((call) => call.payload as Record<string, unknown>)
        .filter((p) => p.executionId === executionArn)
        .map((p) => String(p.taskToken));
    while (tokens().length < 2) await sleep(50);
    const seen = tokens();
    await client.send(new SendTaskSuccessCommand({ taskToken: seen[1] ?? '', output: '1' }));
    const execution = await finished(client, executionArn);
    const events = await history(client, executionArn);

    expect(seen[0]).not.toBe(seen[1]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails?.error).toBe(
      'DispatchUnavailable',
    );
    expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(2);
  });

  it('retries with backoff until the Lambda succeeds, and shapes lambda:invoke results like AWS', async ({
    expect,
  }) => {
    const { executionArn } = await start('retry', { disk: 'slc_1' });
    const execution = await finished(client, executionArn);
    const attempts = lambdas.callsTo('flaky').map((call) => call.at);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({
      disk: 'slc_1',
      measured: { size: JSON.stringify({ disk: 'slc_1' }).length, statusCode: 200 },
      flaky: { attempt: 3 },
    });
    expect(attempts).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = attempts;
    expect(second - first).toBeGreaterThanOrEqual(950);
    expect(third - second).toBeGreaterThanOrEqual(1450);
  });

  it('fails a callback task at its TimeoutSeconds with States.Timeout, which States.TaskFailed does not catch', async ({
    expect,
  }) => {
    const { executionArn } = await start('deadline', {});

    const execution = await finished(client, executionArn);
    const events = await history(client, executionArn);

    expect(JSON.parse(execution.output ?? '')).toEqual({
      timedOut: true,
      error: 'States.Timeout',
    });
    expect(events.map((e) => e.type)).toEqual([
      ...CALLBACK_TASK_OPENED,
      'TaskTimedOut',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('runs Task states inside Parallel branches and Map iterations', async ({ expect }) => {
    const { executionArn } = await start('fan-out', { hosts: ['hv-1', 'hv-2'] });

    for (const host of ['hv-2', 'hv-1']) {
      const payload = await lambdas.nextPayload('dispatch-command', (p) => p.host === host);
      await client.send(successOf(payload, JSON.stringify({ host, done: true })));
    }
    const execution = await finished(client, executionArn);
    const events = await history(client, executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual([
      { size: JSON.stringify(['hv-1', 'hv-2']).length },
      [
        { host: 'hv-1', done: true },
        { host: 'hv-2', done: true },
      ],
    ]);
    expect(enteredStates(events).sort()).toEqual(
      ['CommandHost', 'CommandHost', 'FanOut', 'ForEachHost', 'MeasureHosts'].sort(),
    );
    expect(events.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(2);
  });

  it('lists every state entered and exited, with timestamps, in GetExecutionHistory', async ({
    expect,
  }) => {
    const { executionArn } = await start('callback', { command: 'history' });
    const payload = await dispatchedBy(executionArn);
    await client.send(
      new SendTaskSuccessCommand({ taskToken: String(payload.taskToken), output: '{}' }),
    );
    await finished(client, executionArn);

    const events = await history(client, executionArn);
    const reversed: HistoryEvent[] = [];
    for await (const page of paginateGetExecutionHistory(
      { client, pageSize: 3 },
      { executionArn, reverseOrder: true },
    )) {
      reversed.push(...(page.events ?? []));
    }

    expect(events.map((e) => e.type)).toEqual([
      ...CALLBACK_TASK_OPENED,
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(enteredStates(events)).toEqual(['RunAgentCommand', 'CommandDone']);
    expect(events.map((e) => e.id)).toEqual(events.map((_, index) => index + 1));
    for (const event of events) expect(event.timestamp).toBeInstanceOf(Date);
    const scheduled = events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails;
    expect(JSON.parse(scheduled?.parameters ?? '{}').Payload.taskToken).toBe(payload.taskToken);
    expect(reversed.map((e) => e.id)).toEqual(events.map((e) => e.id).reverse());
  });

  it('returns the same execution for the same name and input, and refuses another input', async ({
    expect,
  }) => {
    const first = await start('hold', { command: 'once' }, 'snapshot-op_1');

    const again = await start('hold', { command: 'once' }, 'snapshot-op_1');
    const other = await start('hold', { command: 'twice' }, 'snapshot-op_1').catch(
      (error: unknown) => error,
    );
    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    const afterEnd = await start('hold', { command: 'once' }, 'snapshot-op_1').catch(
      (error: unknown) => error,
    );

    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(other).toBeInstanceOf(ExecutionAlreadyExists);
    expect(afterEnd).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('stops an execution, closing its task token', async ({ expect }) => {
    const { executionArn } = await start('callback', { command: 'stop-me' });
    const payload = await dispatchedBy(executionArn);

    await client.send(
      new StopExecutionCommand({ executionArn, error: 'UserCancelled', cause: 'not needed' }),
    );
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    const events = await history(client, executionArn);
    const late = await client
      .send(new SendTaskSuccessCommand({ taskToken: String(payload.taskToken), output: '{}' }))
      .catch((error: unknown) => error);

    expect(execution).toMatchObject({
      status: 'ABORTED',
      error: 'UserCancelled',
      cause: 'not needed',
    });
    expect(execution.stopDate).toBeInstanceOf(Date);
    expect(events.at(-1)?.type).toBe('ExecutionAborted');
    expect(late).toBeInstanceOf(TaskTimedOut);
    expect(statusChanges.find((record) => record.executionArn === executionArn)).toMatchObject({
      status: 'ABORTED',
      error: 'UserCancelled',
    });
  });

  it('answers TaskDoesNotExist for a token it never issued', async ({ expect }) => {
    const answer = await client
      .send(new SendTaskSuccessCommand({ taskToken: 'never-issued', output: '{}' }))
      .catch((error: unknown) => error);

    expect(answer).toBeInstanceOf(TaskDoesNotExist);
    expect(answer).toMatchObject({ name: 'TaskDoesNotExist', $metadata: { httpStatusCode: 400 } });
  });

  it('registers state machines at run time and refuses JSONata definitions', async ({ expect }) => {
    const created = await client.send(
      new CreateStateMachineCommand({
        name: 'runtime-retry',
        definition: fixture('retry'),
        roleArn: 'arn:aws:iam::000000000000:role/any',
      }),
    );
    const jsonata = await client
      .send(
        new CreateStateMachineCommand({
          name: 'jsonata',
          definition: JSON.stringify({
            QueryLanguage: 'JSONata',
            StartAt: 'Done',
            States: { Done: { Type: 'Pass', Output: '{% $states.input %}', End: true } },
          }),
          roleArn: 'arn:aws:iam::000000000000:role/any',
        }),
      )
      .catch((error: unknown) => error);

    const described = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    const listed = await client.send(new ListStateMachinesCommand({}));

    expect(created.stateMachineArn).toBe(endpoint.stateMachineArn('runtime-retry'));
    expect(described.definition).toBe(fixture('retry'));
    expect(listed.stateMachines?.map((machine) => machine.name)).toEqual(
      expect.arrayContaining(['callback', 'retry', 'deadline', 'fan-out', 'runtime-retry']),
    );
    expect(jsonata).toBeInstanceOf(InvalidDefinition);
  });

  it('lists executions newest first, filtered by status, page by page', async ({ expect }) => {
    const stateMachineArn = endpoint.stateMachineArn('hold');
    const started: string[] = [];
    for (let index = 0; index < 3; index++) {
      started.push((await start('hold', { index })).executionArn);
    }

    const listed: string[] = [];
    for await (const page of paginateListExecutions(
      { client, pageSize: 2 },
      { stateMachineArn, statusFilter: 'RUNNING' },
    )) {
      for (const execution of page.executions ?? []) {
        expect(execution.status).toBe('RUNNING');
        // Other tests run at the same time: keep this test's own executions.
        if (started.includes(execution.executionArn ?? '')) {
          listed.push(execution.executionArn ?? '');
        }
      }
    }
    for (const executionArn of started) {
      await client.send(new StopExecutionCommand({ executionArn }));
    }
    const aborted = await client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }),
    );

    expect(listed).toEqual([...started].reverse());
    expect(aborted.executions?.every((execution) => execution.status === 'ABORTED')).toBe(true);
    expect(aborted.executions?.map((execution) => execution.executionArn)).toEqual(
      expect.arrayContaining(started),
    );
  });

  it('keeps executions across a restart, recording those cut short as ABORTED', async ({
    expect,
  }) => {
    const options = ownEndpointOptions(['callback']);
    const changesBefore: string[] = [];
    const before = await startStepFunctions({
      ...options,
      onStatusChange: (record) => changesBefore.push(`${record.executionArn} ${record.status}`),
    });
    const beforeClient = sfnClient(before.url);
    const stateMachineArn = before.stateMachineArn('callback');
    const done = await beforeClient.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"command":"before"}' }),
    );
    const donePayload = await dispatchedBy(done.executionArn);
    await beforeClient.send(successOf(donePayload, '7'));
    await finished(beforeClient, done.executionArn ?? '');
    const cut = await beforeClient.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"command":"cut"}' }),
    );
    const cutPayload = await dispatchedBy(cut.executionArn);
    beforeClient.destroy();
    await before.close();

    const changesAfter: ExecutionRecord[] = [];
    const after = await startStepFunctions({
      ...options,
      onStatusChange: (record) => changesAfter.push(structuredClone(record)),
    });
    // Started again, it has told its status change once: a third start tells nothing more.
    const changesThird: ExecutionRecord[] = [];
    const afterClient = sfnClient(after.url);
    const listed = await afterClient.send(new ListExecutionsCommand({ stateMachineArn }));
    const doneAfter = await afterClient.send(
      new DescribeExecutionCommand({ executionArn: done.executionArn }),
    );
    const cutAfter = await afterClient.send(
      new DescribeExecutionCommand({ executionArn: cut.executionArn }),
    );
    const doneHistory = await history(afterClient, done.executionArn ?? '');
    const late = await afterClient
      .send(new SendTaskSuccessCommand({ taskToken: String(cutPayload.taskToken), output: '{}' }))
      .catch((error: unknown) => error);
    afterClient.destroy();
    await after.close();
    const third = await startStepFunctions({
      ...options,
      onStatusChange: (record) => changesThird.push(record),
    });
    await third.close();

    // Stopped by the shutdown, the cut one is told at the next start, not to a bus going away.
    expect(changesBefore).toEqual([`${done.executionArn} SUCCEEDED`]);
    expect(changesAfter.map((record) => [record.executionArn, record.status])).toEqual([
      [cut.executionArn, 'ABORTED'],
    ]);
    expect(changesThird).toEqual([]);
    expect(listed.executions?.map((e) => [e.executionArn, e.status])).toEqual([
      [cut.executionArn, 'ABORTED'],
      [done.executionArn, 'SUCCEEDED'],
    ]);
    expect(JSON.parse(doneAfter.output ?? '')).toEqual({ command: 'before', result: 7 });
    expect(cutAfter.cause).toMatch(/stopped/);
    expect(enteredStates(doneHistory)).toEqual(['RunAgentCommand', 'CommandDone']);
    expect(late).toBeInstanceOf(TaskTimedOut);
  });

  /**
   * Starts an execution, waits until `ready` sees its callback task dispatched (a callback task is on
   * disk before its dispatch), then leaves what a killed process would: a copy of the data directory
   * taken while it runs. Answers the endpoint started again on that copy, and what it told.
   */
  async function crashAndRestart(
    workflow: string,
    input: unknown,
    ready: (payload: Record<string, unknown>, executionArn: string) => boolean,
  ) {
    const options = ownEndpointOptions([workflow]);
    const { dataDir } = options;
    const copy = newDataDir();
    const crashed = await startStepFunctions(options);
    const crashedClient = sfnClient(crashed.url);
    const { executionArn = '' } = await crashedClient.send(
      new StartExecutionCommand({
        stateMachineArn: crashed.stateMachineArn(workflow),
        input: JSON.stringify(input),
      }),
    );
    const payload = await lambdas.nextPayload('dispatch-command', (p) => ready(p, executionArn));
    const written = () =>
      readdirSync(dataDir, { recursive: true }).some((file) => String(file).endsWith('.json'));
    while (!written()) await sleep(25);
    // What a killed process leaves behind: the files as they were while it ran.
    cpSync(dataDir, copy, { recursive: true, filter: (path) => !path.endsWith('.tmp') });
    crashedClient.destroy();
    await crashed.close();

    const told: ExecutionRecord[] = [];
    const restarted = await startStepFunctions({
      ...options,
      dataDir: copy,
      onStatusChange: (record) => told.push(structuredClone(record)),
    });
    return { restarted, executionArn, payload, told };
  }

  it('goes on with an execution a crash cut short, its waiting callback task on the same token', async ({
    expect,
  }) => {
    const { restarted, executionArn, payload, told } = await crashAndRestart(
      'resumable',
      { command: 'resume' },
      (p, arn) => p.executionId === arn,
    );
    const restartedClient = sfnClient(restarted.url);
    const dispatches = () =>
      lambdas
        .callsTo('dispatch-command')
        .filter((call) => (call.payload as Record<string, unknown>).executionId === executionArn);
    while (dispatches().length < 2) await sleep(25);
    const running = await restartedClient.send(new DescribeExecutionCommand({ executionArn }));
    await restartedClient.send(successOf(payload, '"done"'));
    const execution = await finished(restartedClient, executionArn);
    const events = await history(restartedClient, executionArn);
    restartedClient.destroy();
    await restarted.close();

    expect(running).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    // The same request again: the same token, so a receiver naming its work after it repeats nothing.
    expect(dispatches().map((call) => call.payload)).toEqual([payload, payload]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({
      command: 'resume',
      measured: { size: JSON.stringify({ command: 'resume' }).length },
      result: 'done',
    });
    // The step it had completed is not run again; the one it was in goes on after the redrive.
    expect(enteredStates(events)).toEqual([
      'MeasureInput',
      'RunAgentCommand',
      'RunAgentCommand',
      'CommandDone',
    ]);
    expect(events.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
    expect(events.find((e) => e.type === 'ExecutionRedriven')).toMatchObject({
      executionRedrivenEventDetails: { redriveCount: 1 },
    });
    expect(told.map((record) => [record.executionArn, record.status])).toEqual([
      [executionArn, 'SUCCEEDED'],
    ]);
  });

  it.for([
    ['a Task whose Retry does not say it may run twice', 'callback', { command: 'crash' }],
    ['a Parallel whose finished branches would run again', 'fan-out', { hosts: ['h-crash'] }],
  ] as const)(
    'ends ABORTED, with its status change, an execution a crash cut short in %s',
    async ([, workflow, input], { expect }) => {
      const { restarted, executionArn, told } = await crashAndRestart(
        workflow,
        input,
        (p, arn) => p.executionId === arn || p.host === 'h-crash',
      );
      const restartedClient = sfnClient(restarted.url);
      const execution = await restartedClient.send(new DescribeExecutionCommand({ executionArn }));
      const events = await history(restartedClient, executionArn);
      restartedClient.destroy();
      await restarted.close();

      expect(execution.status).toBe('ABORTED');
      expect(execution.cause).toMatch(/stopped.*cannot go on/);
      expect(events.at(-1)?.type).toBe('ExecutionAborted');
      // Its status change goes out at the start, so that the reconciler finishes its operation.
      expect(told.map((record) => [record.executionArn, record.status])).toEqual([
        [executionArn, 'ABORTED'],
      ]);
    },
  );

  it('is found through AWS_ENDPOINT_URL_SFN by a client given no endpoint', async ({ expect }) => {
    const previous = process.env.AWS_ENDPOINT_URL_SFN;
    process.env.AWS_ENDPOINT_URL_SFN = endpoint.url;
    const plain = new SFNClient({
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    try {
      const listed = await plain.send(new ListStateMachinesCommand({}));

      expect(listed.stateMachines?.map((machine) => machine.name)).toContain('callback');
    } finally {
      plain.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_SFN;
      else process.env.AWS_ENDPOINT_URL_SFN = previous;
    }
  });
});
