import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiRequest, bodyOf } from './api-request.ts';
import { lambdaContext } from './lambda-context.ts';
import { mockedApi } from './mocked-api.ts';
import {
  ACCOUNT,
  aSlice,
  OTHER_OPERATION_ID,
  SLICE_ID,
  SLICE_KEY,
  sliceItem,
  stateMachineArn,
  TABLE,
} from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';

const lockRefused = new ConditionalCheckFailedException({ message: 'refused', $metadata: {} });

const changePower = (body: unknown) =>
  apiRequest({
    routeKey: 'POST /v1/slices/{id}/power',
    path: `/v1/slices/${SLICE_ID}/power`,
    pathParameters: { id: SLICE_ID },
    body,
  });

describe('api-request-power-change', () => {
  const { documents, events, sfn, handler } = mockedApi(
    'functions/api-request-power-change.ts',
    NOW,
  );

  beforeEach(() => {
    documents.on(GetCommand).resolves({});
    documents.on(GetCommand, { Key: SLICE_KEY }).resolves({ Item: sliceItem(aSlice()) });
    documents.on(UpdateCommand, { Key: SLICE_KEY }).callsFake((input: UpdateCommandInput) => ({
      Attributes: sliceItem(
        aSlice({
          status: 'busy',
          lock: {
            operationId: input.ExpressionAttributeValues?.[':operationId'],
            operationType: 'slice.power',
            power: 'on',
          },
        }),
      ),
    }));
    documents.on(PutCommand).resolves({});
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:execution', startDate: new Date() });
  });
  it('refuses a state other than on and off with 400 naming body.state, calling no AWS service', async () => {
    const response = await handler(
      changePower({ state: 'reboot' }),
      lambdaContext('api-request-power-change'),
    );

    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    const problem = bodyOf<{ errors: { path: string }[] }>(response);
    expect(problem).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'Invalid body: body.state Invalid option: expected one of "on"|"off"',
    });
    expect(problem.errors.map((error) => error.path)).toEqual(['body.state']);
    expect(documents.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 202 and starts change-slice-power with the state asked for, under the slice lock', async () => {
    const response = await handler(
      changePower({ state: 'off' }),
      lambdaContext('api-request-power-change'),
    );

    expect(response.statusCode).toBe(202);
    const { operation } = bodyOf<{ operation: { id: string } }>(response);
    expect(operation).toMatchObject({
      type: 'slice.power',
      status: 'running',
      resourceType: 'slice',
      resourceId: SLICE_ID,
    });
    const [lock] = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(lock).toMatchObject({
      TableName: TABLE,
      Key: SLICE_KEY,
      ConditionExpression: '#status = :active AND attribute_not_exists(#lockOperationId)',
      ExpressionAttributeValues: { ':operationId': operation.id, ':operationType': 'slice.power' },
    });
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      sk: `OPERATION#${operation.id}`,
      type: 'slice.power',
      status: 'running',
    });
    const starts = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({
      stateMachineArn: stateMachineArn('change-slice-power'),
      name: operation.id,
    });
    expect(JSON.parse(starts[0]?.input ?? '{}')).toEqual({
      state: 'off',
      accountId: ACCOUNT,
      sliceId: SLICE_ID,
      operationId: operation.id,
    });
  });

  it('refuses a slice busy with another operation with 409 SLICE_BUSY naming that operation', async () => {
    const held = aSlice({
      status: 'busy',
      lock: { operationId: OTHER_OPERATION_ID, operationType: 'snapshot.create', power: 'on' },
    });
    documents.on(GetCommand, { Key: SLICE_KEY }).resolves({ Item: sliceItem(held) });
    documents.on(UpdateCommand, { Key: SLICE_KEY }).rejects(lockRefused);

    const response = await handler(
      changePower({ state: 'off' }),
      lambdaContext('api-change-slice-power'),
    );

    expect(response.statusCode).toBe(409);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(bodyOf(response)).toMatchObject({
      status: 409,
      code: 'SLICE_BUSY',
      operationId: OTHER_OPERATION_ID,
      operationType: 'snapshot.create',
    });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('refuses a slice whose status allows no power change with 409 ILLEGAL_TRANSITION and no operation', async () => {
    documents
      .on(GetCommand, { Key: SLICE_KEY })
      .resolves({ Item: sliceItem(aSlice({ status: 'error' })) });
    documents.on(UpdateCommand, { Key: SLICE_KEY }).rejects(lockRefused);

    const response = await handler(
      changePower({ state: 'off' }),
      lambdaContext('api-change-slice-power'),
    );

    expect(response.statusCode).toBe(409);
    const problem = bodyOf(response);
    expect(problem).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION' });
    expect(problem).not.toHaveProperty('operationId');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers an unexpected failure with 500 INTERNAL, naming none of its internals', async () => {
    documents
      .on(UpdateCommand, { Key: SLICE_KEY })
      .rejects(new Error('connect ECONNREFUSED 10.1.2.3:8000'));

    const response = await handler(
      changePower({ state: 'off' }),
      lambdaContext('api-change-slice-power'),
    );

    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(response.body).not.toContain('10.1.2.3');
  });

  it('announces nothing on the bus when the power change starts', async () => {
    await handler(changePower({ state: 'on' }), lambdaContext('api-request-power-change'));

    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(events.calls()).toHaveLength(0);
  });
});
