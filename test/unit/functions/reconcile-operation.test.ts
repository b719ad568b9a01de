import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from './lambda-context.ts';
import { mockedApi } from './mocked-api.ts';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const NOW = '2025-03-01T10:00:00.000Z';

/** The status change Step Functions puts on the default bus. */
function statusChange(status: string, input: unknown, name = 'op_01JNZ5Y1Q0000000000000000A') {
  return {
    version: '0',
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: `arn:aws:states:eu-central-1:123456789012:execution:sm:${name}`,
      stateMachineArn: 'arn:aws:states:eu-central-1:123456789012:stateMachine:sm',
      name,
      status,
      input: JSON.stringify(input),
    },
  };
}

describe('reconcile-operation', () => {
  const api = mockedApi('functions/reconcile-operation.ts', NOW);
  let handler: Handler;
  beforeAll(() => {
    handler = api.handler as unknown as Handler;
  });

  it('leaves an execution with no operation alone (the billing run)', async () => {
    const outcome = await handler(statusChange('FAILED', {}), lambdaContext('reconcile-operation'));

    expect(outcome).toEqual({ reconciled: false });
    expect(api.documents.calls()).toHaveLength(0);
  });

  it('refuses an event that is not an ended execution, touching nothing', async () => {
    const succeeded = statusChange('SUCCEEDED', { accountId: 'acct-1', operationId: 'op_1' });

    await expect(handler(succeeded, lambdaContext('reconcile-operation'))).rejects.toThrow();
    expect(api.documents.calls()).toHaveLength(0);
  });

  it('looks up the operation its input names, in the account its input names', async () => {
    api.documents.on(GetCommand).resolves({
      Item: {
        id: 'op_01JNZ5Y1Q0000000000000000A',
        accountId: 'acct-1',
        type: 'slice.power',
        status: 'succeeded',
        resourceType: 'slice',
        resourceId: 'slc_01JNZ5Y1Q0000000000000000B',
        startedAt: NOW,
        finishedAt: NOW,
        progress: { bytesDone: 0, bytesTotal: 0, startedAt: null, updatedAt: null },
        error: null,
        updatedAt: NOW,
      },
    });
    const event = statusChange('ABORTED', {
      accountId: 'acct-1',
      operationId: 'op_01JNZ5Y1Q0000000000000000A',
      sliceId: 'slc_01JNZ5Y1Q0000000000000000B',
    });

    const outcome = await handler(event, lambdaContext('reconcile-operation'));

    expect(outcome).toEqual({
      operationId: 'op_01JNZ5Y1Q0000000000000000A',
      reconciled: false,
      status: 'succeeded',
    });
    expect(api.documents.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'ACCOUNT#acct-1',
      sk: 'OPERATION#op_01JNZ5Y1Q0000000000000000A',
    });
  });
});
