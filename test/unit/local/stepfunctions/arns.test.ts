import { describe, expect, it } from 'vitest';
import {
  executionArnOf,
  functionNameOf,
  localFunctionArn,
  stateMachineArnOf,
} from '../../../../local/stepfunctions/arns.ts';

describe('localFunctionArn', () => {
  it('builds the Lambda ARN of a function name', () => {
    expect(localFunctionArn('us-east-1', '000000000000', 'workflow-place-slice')).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:workflow-place-slice',
    );
  });
});

describe('functionNameOf', () => {
  it.each([
    ['arn:aws:lambda:us-east-1:000000000000:function:workflow-place-slice', 'workflow-place-slice'],
    [
      'arn:aws:lambda:us-east-1:000000000000:function:workflow-place-slice:$LATEST',
      'workflow-place-slice',
    ],
    [
      'arn:aws:lambda:us-east-1:000000000000:function:workflow-place-slice:live',
      'workflow-place-slice',
    ],
    ['000000000000:function:workflow-place-slice', 'workflow-place-slice'],
    ['workflow-place-slice', 'workflow-place-slice'],
    ['workflow-place-slice:live', 'workflow-place-slice'],
  ])('finds the function name in %s', (reference, name) => {
    expect(functionNameOf(reference)).toBe(name);
  });

  it.each([
    'arn:aws:states:::lambda:invoke',
    'arn:aws:states:us-east-1:000000000000:stateMachine:create-slice',
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
    const machine = stateMachineArnOf('us-east-1', '000000000000', 'create-slice');

    const execution = executionArnOf('us-east-1', '000000000000', 'create-slice', 'op_1');

    expect(machine).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:create-slice');
    expect(execution).toBe('arn:aws:states:us-east-1:000000000000:execution:create-slice:op_1');
  });
});
