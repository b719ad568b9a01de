import { describe, expect, it } from 'vitest';
import { resumedDefinition } from '../../../../local/stepfunctions/definition.ts';
import {
  appendEvent,
  type ExecutionRecord,
} from '../../../../local/stepfunctions/execution-record.ts';
import { planResume } from '../../../../local/stepfunctions/resume.ts';

const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:worker';
const RETRIED = [{ ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 2 }];

const DEFINITION = JSON.stringify({
  StartAt: 'Lock',
  TimeoutSeconds: 600,
  States: {
    Lock: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: FUNCTION, 'Payload.$': '$' },
      Retry: RETRIED,
      ResultPath: '$.lock',
      Next: 'Choose',
    },
    Choose: {
      Type: 'Choice',
      Choices: [{ Variable: '$.lock', IsPresent: true, Next: 'Command' }],
      Default: 'Done',
    },
    Command: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: FUNCTION, Payload: { 'token.$': '$$.Task.Token' } },
      HeartbeatSeconds: 30,
      Retry: RETRIED,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Undo' }],
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 60, Next: 'Unretried' },
    Unretried: {
      Type: 'Task',
      Resource: FUNCTION,
      Retry: [{ ErrorEquals: ['Busy'] }],
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Item',
        States: { Item: { Type: 'Pass', End: true } },
      },
      Next: 'Done',
    },
    EachCommand: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Command',
        States: { Command: { Type: 'Task', Resource: FUNCTION, End: true } },
      },
      Next: 'Done',
    },
    Undo: { Type: 'Pass', Next: 'Failed' },
    Failed: { Type: 'Fail', Error: 'Undone' },
    Done: { Type: 'Succeed' },
  },
});

/** An execution whose history holds `events`, as a crash left it on disk. */
function cutShort(
  events: Array<[type: string, details?: Record<string, unknown>]>,
  taskTokens: string[] = [],
): ExecutionRecord {
  const record: ExecutionRecord = {
    seq: 1,
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:machine:op_1',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:machine',
    name: 'op_1',
    status: 'RUNNING',
    input: '{"id":1}',
    startDate: 1_000,
    taskTokens,
    events: [],
  };
  events.forEach(([type, details], index) => {
    appendEvent(record, type, details, 1_000 + index);
  });
  return record;
}

const started: [string, Record<string, unknown>] = ['ExecutionStarted', { input: '{"id":1}' }];
const entered = (type: string, name: string, input: unknown): [string, Record<string, unknown>] => [
  `${type}StateEntered`,
  { name, input: JSON.stringify(input) },
];
const exited = (type: string, name: string, output: unknown): [string, Record<string, unknown>] => [
  `${type}StateExited`,
  { name, output: JSON.stringify(output) },
];

describe('planResume', () => {
  it('starts an execution that had not begun, as a plain start', () => {
    expect(planResume(cutShort([]), DEFINITION)).toEqual({
      kind: 'run',
      startAt: 'Lock',
      input: { id: 1 },
      redrive: false,
    });
  });

  it('runs the state it was in again, with the input it entered with', () => {
    const record = cutShort([
      started,
      entered('Task', 'Lock', { id: 1 }),
      ['TaskScheduled', { parameters: '{}' }],
    ]);

    expect(planResume(record, DEFINITION)).toEqual({
      kind: 'run',
      startAt: 'Lock',
      input: { id: 1 },
      redrive: true,
    });
  });

  it('goes on at the next state with the output of the last one it completed', () => {
    const record = cutShort([
      started,
      entered('Task', 'Lock', { id: 1 }),
      exited('Task', 'Lock', { id: 1, lock: 'x' }),
      entered('Choice', 'Choose', { id: 1, lock: 'x' }),
      exited('Choice', 'Choose', { id: 1, lock: 'x' }),
      entered('Task', 'Command', { id: 1, lock: 'x' }),
      ['TaskScheduled', { parameters: '{"Payload":{"token":"t-2"}}' }],
      ['TaskSucceeded', { output: '{}' }],
      exited('Task', 'Command', { id: 1, lock: 'x', done: true }),
    ]);

    expect(planResume(record, DEFINITION)).toMatchObject({
      kind: 'run',
      startAt: 'Pause',
      input: { id: 1, lock: 'x', done: true },
    });
  });

  it('runs a Choice it had completed again: its next state depends on its input', () => {
    const record = cutShort([
      started,
      entered('Choice', 'Choose', { lock: 'x' }),
      exited('Choice', 'Choose', { lock: 'x' }),
    ]);

    expect(planResume(record, DEFINITION)).toMatchObject({
      startAt: 'Choose',
      input: { lock: 'x' },
    });
  });

  it('reopens the token a callback task was waiting on', () => {
    const record = cutShort(
      [
        started,
        entered('Task', 'Command', { lock: 'x' }),
        ['TaskScheduled', { parameters: '{"Payload":{"token":"t-1"}}' }],
        ['TaskFailed', { error: 'AgentRestarted' }],
        ['TaskScheduled', { parameters: '{"Payload":{"token":"t-2"}}' }],
        ['TaskStarted'],
        ['TaskSubmitted', { output: '{}' }],
      ],
      ['t-1', 't-2'],
    );

    expect(planResume(record, DEFINITION)).toMatchObject({
      startAt: 'Command',
      reuseToken: 't-2',
    });
  });

  it('starts a new attempt when the last one had failed, as its Retry would', () => {
    const record = cutShort(
      [
        started,
        entered('Task', 'Command', { lock: 'x' }),
        ['TaskScheduled', { parameters: '{"Payload":{"token":"t-1"}}' }],
        ['TaskFailed', { error: 'AgentRestarted' }],
      ],
      ['t-1'],
    );

    expect(planResume(record, DEFINITION)).not.toHaveProperty('reuseToken');
  });

  it('waits out what was left of a Wait state', () => {
    const record = cutShort([started, entered('Wait', 'Pause', {})]);

    expect(planResume(record, DEFINITION)).toMatchObject({
      startAt: 'Pause',
      waitingSince: record.events.at(-1)?.timestamp,
    });
  });

  it('succeeds an execution that had passed its last state', () => {
    const record = cutShort([
      started,
      entered('Succeed', 'Done', { a: 1 }),
      exited('Succeed', 'Done', { a: 1 }),
    ]);

    expect(planResume(record, DEFINITION)).toEqual({ kind: 'succeed', output: '{"a":1}' });
  });

  it('runs a Map again whole, from its input, when every state in its iterations may run again', () => {
    const record = cutShort([
      started,
      entered('Map', 'Each', { items: [1, 2] }),
      ['MapStateStarted'],
      ['MapIterationStarted', { name: 'Each', index: 0 }],
      entered('Pass', 'Item', 1),
      exited('Pass', 'Item', 1),
      ['MapIterationSucceeded', { name: 'Each', index: 0 }],
    ]);

    expect(planResume(record, DEFINITION)).toEqual({
      kind: 'run',
      startAt: 'Each',
      input: { items: [1, 2] },
      redrive: true,
    });
  });

  it('aborts inside a Map whose finished iterations would run a Task that may not run twice', () => {
    const record = cutShort([
      started,
      entered('Map', 'EachCommand', { items: [1, 2] }),
      ['MapStateStarted'],
      ['MapIterationStarted', { name: 'EachCommand', index: 0 }],
      entered('Task', 'Command', 1),
    ]);

    expect(planResume(record, DEFINITION)).toEqual({
      kind: 'abort',
      reason:
        'it was in EachCommand, a Map state whose finished branches would run again, and its Command may not',
    });
  });

  it('aborts at a Task whose Retry does not say it may run twice', () => {
    const record = cutShort([started, entered('Task', 'Unretried', {})]);

    expect(planResume(record, DEFINITION)).toMatchObject({
      kind: 'abort',
      reason: expect.stringMatching(/Unretried/),
    });
  });

  it('aborts at a state the definition no longer has', () => {
    const record = cutShort([started, entered('Task', 'Gone', {})]);

    expect(planResume(record, DEFINITION)).toMatchObject({ kind: 'abort' });
  });
});

describe('resumedDefinition', () => {
  it('starts at the state and keeps only the states reachable from it', () => {
    const parsed = resumedDefinition(DEFINITION, { startAt: 'Command' });

    expect([...parsed.tasks.keys()].sort()).toEqual(['Command', 'Unretried']);
  });

  it('waits only what was left of a Wait state', async () => {
    const parsed = resumedDefinition(DEFINITION, { startAt: 'Pause', waitedSeconds: 60 });
    const run = parsed.machine.run(
      {},
      { overrides: { taskResourceLocalHandlers: { Unretried: async () => ({ items: [] }) } } },
    );

    // Well within the test's 5 s: the 60 s wait was over.
    await expect(run.result).resolves.toEqual([]);
  });
});
