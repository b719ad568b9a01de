import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../../../local/stepfunctions/definition.ts';

const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:worker';

function task(resource: string, extra: Record<string, unknown> = {}) {
  return { Type: 'Task', Resource: resource, TimeoutSeconds: 5, End: true, ...extra };
}

function definition(states: Record<string, unknown>, top: Record<string, unknown> = {}): string {
  return JSON.stringify({ StartAt: Object.keys(states)[0], States: states, ...top });
}

describe('parseDefinition', () => {
  it('lists the Task states of the top level, Parallel branches and Map processors', () => {
    const text = definition({
      Fan: {
        Type: 'Parallel',
        Next: 'Each',
        Branches: [
          {
            StartAt: 'Invoke',
            States: {
              Invoke: task('arn:aws:states:::lambda:invoke', {
                Parameters: { FunctionName: FUNCTION, 'Payload.$': '$' },
              }),
            },
          },
        ],
      },
      Each: {
        Type: 'Map',
        Next: 'Bare',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Callback',
          States: {
            Callback: task('arn:aws:states:::lambda:invoke.waitForTaskToken', {
              HeartbeatSeconds: 2,
              Parameters: { FunctionName: FUNCTION, Payload: { 'token.$': '$$.Task.Token' } },
            }),
          },
        },
      },
      Bare: task(FUNCTION),
    });

    const { tasks } = parseDefinition(text);

    expect(Object.fromEntries(tasks)).toEqual({
      Invoke: expect.objectContaining({ kind: 'lambda-invoke', timeoutSeconds: 5 }),
      Callback: expect.objectContaining({ kind: 'lambda-callback', heartbeatSeconds: 2 }),
      Bare: expect.objectContaining({ kind: 'lambda-function', functionName: 'worker' }),
    });
  });

  it.each([
    [
      'JSONata at the top',
      definition({ Done: { Type: 'Pass', End: true } }, { QueryLanguage: 'JSONata' }),
    ],
    [
      'JSONata in a state',
      definition({ Done: { Type: 'Pass', QueryLanguage: 'JSONata', End: true } }),
    ],
    ['Arguments', definition({ Done: task(FUNCTION, { Arguments: {} }) })],
    ['Assign', definition({ Done: { Type: 'Pass', Assign: { x: 1 }, End: true } })],
    ['Output', definition({ Done: { Type: 'Pass', Output: {}, End: true } })],
  ])('refuses %s, which the runner would ignore silently', (_what, text) => {
    expect(() => parseDefinition(text)).toThrow(
      expect.objectContaining({ type: 'InvalidDefinition' }),
    );
  });

  it('refuses a resource that does not run locally, naming the state', () => {
    const text = definition({ PutItem: task('arn:aws:states:::dynamodb:putItem') });

    expect(() => parseDefinition(text)).toThrow(/PutItem.*dynamodb:putItem/);
  });

  it('refuses a Distributed Map', () => {
    const text = definition({
      Each: {
        Type: 'Map',
        End: true,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: task(FUNCTION) },
        },
      },
    });

    expect(() => parseDefinition(text)).toThrow(/Distributed Map/);
  });

  it('refuses what the ASL validator refuses', () => {
    const text = JSON.stringify({
      StartAt: 'First',
      States: { First: { Type: 'Pass', Next: 'Nowhere' } },
    });

    expect(() => parseDefinition(text)).toThrow(
      expect.objectContaining({ type: 'InvalidDefinition' }),
    );
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseDefinition('{"StartAt":')).toThrow(/not valid JSON/);
  });
});
