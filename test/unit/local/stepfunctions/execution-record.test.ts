import { describe, expect, it } from 'vitest';
import {
  appendEvent,
  detailsKeyOf,
  type ExecutionRecord,
  wireEvent,
} from '../../../../local/stepfunctions/execution-record.ts';

function emptyRecord(): ExecutionRecord {
  return {
    seq: 1,
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:echo:op_1',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:echo',
    name: 'op_1',
    status: 'RUNNING',
    input: '{}',
    startDate: 1_700_000_000_000,
    taskTokens: [],
    events: [],
  };
}

describe('detailsKeyOf', () => {
  it.each([
    ['TaskStateEntered', 'stateEnteredEventDetails'],
    ['MapStateExited', 'stateExitedEventDetails'],
    ['TaskScheduled', 'taskScheduledEventDetails'],
    ['LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails'],
    ['ExecutionStarted', 'executionStartedEventDetails'],
    ['MapIterationStarted', 'mapIterationStartedEventDetails'],
  ])('names the details of %s %s', (type, key) => {
    expect(detailsKeyOf(type)).toBe(key);
  });
});

describe('appendEvent', () => {
  it('numbers events from 1, each pointing at the one before', () => {
    const record = emptyRecord();

    appendEvent(record, 'ExecutionStarted', { input: '{}' });
    appendEvent(record, 'PassStateEntered', { name: 'Done', input: '{}' });

    expect(record.events.map((e) => [e.id, e.previousEventId])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });
});

describe('wireEvent', () => {
  it('answers epoch seconds and leaves out execution data when asked to', () => {
    const record = emptyRecord();
    const event = appendEvent(
      record,
      'TaskScheduled',
      { resourceType: 'lambda', parameters: '{"secret":1}' },
      1_700_000_000_500,
    );

    const full = wireEvent(event, true);
    const lean = wireEvent(event, false);

    expect(full).toEqual({
      id: 1,
      previousEventId: 0,
      timestamp: 1_700_000_000.5,
      type: 'TaskScheduled',
      taskScheduledEventDetails: { resourceType: 'lambda', parameters: '{"secret":1}' },
    });
    expect(lean.taskScheduledEventDetails).toEqual({ resourceType: 'lambda' });
  });
});
