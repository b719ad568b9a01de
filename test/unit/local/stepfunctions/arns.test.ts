import { describe, expect, it } from 'vitest';
import {
  executionArnOf,
  functionNameOf,
  localFunctionArn,
  stateMachineArnOf,
} from '../../../../local/stepfunctions/arns.ts';

describe('localFunctionArn', () => {
  it('builds the Lambda ARN of a function name', () => {
    expect(localFunctionArn('us-east-1', '000000000000', 'workflow-echo')).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:workflow-echo',
    );
  });
});

describe('functionNameOf', () => {
  it.each([
    ['arn:aws:lambda:us-east-1:000000000000:function:workflow-echo', 'workflow-echo'],
    ['arn:aws:lambda:us-east-1:000000000000:function:workflow-echo:$LATEST', 'workflow-echo'],
    ['arn:aws:lambda:us-east-1:000000000000:function:workflow-echo:live', 'workflow-echo'],
    ['000000000000:function:workflow-echo', 'workflow-echo'],
    ['workflow-echo', 'workflow-echo'],
    ['workflow-echo:live', 'workflow-echo'],
  ])('finds the function name in %s', (reference, name) => {
    expect(functionNameOf(reference)).toBe(name);
  });

  it.each([
    'arn:aws:states:::lambda:invoke',
    'arn:aws:states:us-east-1:000000000000:stateMachine:echo',
    '',
  ])('finds none in %s', (reference) => {
    expect(functionNameOf(reference)).toBeUndefined();
  });

  it('reads back the name of a local function ARN', () => {
    expect(functionNameOf(localFunctionArn('eu-central-1', '123456789012', 'a-b_c'))).toBe('a-b_c');
  });
});

describe('executionArnOf', () => {
  it('places the execution under its state machine like AWS', () => {
    const machine = stateMachineArnOf('us-east-1', '000000000000', 'echo');

    const execution = executionArnOf('us-east-1', '000000000000', 'echo', 'op_1');

    expect(machine).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:echo');
    expect(execution).toBe('arn:aws:states:us-east-1:000000000000:execution:echo:op_1');
  });
});
