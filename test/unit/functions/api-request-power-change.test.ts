import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sliceItem } from '../../support/table-items.ts';
import { bodyOf, routeRequest } from './api-request.ts';
import {
  acceptWorkflowStarts,
  expectOneWorkflowStart,
  expectSliceLockTaken,
  mockedApi,
} from './mocked-api.ts';
import {
  ACCOUNT,
  aSlice,
  grantSliceLock,
  OTHER_OPERATION_ID,
  SLICE_ID,
  SLICE_KEY,
} from './stored-records.ts';

const NOW = '2026-03-10T12:00:00.000Z';

const lockRefused = new ConditionalCheckFailedException({ message: 'refused', $metadata: {} });

const changePower = (body: unknown) =>
  routeRequest('POST /v1/slices/{id}/power', { id: SLICE_ID, body });

describe('api-request-power-change', () => {
  const { documents, tableHolds, events, sfn, handler } = mockedApi(
    'functions/api-request-power-change.ts',
    NOW,
  );

  beforeEach(() => {
    tableHolds(sliceItem(aSlice()));
    documents.on(UpdateCommand, { Key: SLICE_KEY }).callsFake(grantSliceLock('slice.power'));
    documents.on(PutCommand).resolves({});
    acceptWorkflowStarts(sfn);
  });
  it('refuses a state other than on and off with 400 naming body.state, calling no AWS service', async () => {
    const response = await handler(changePower({ state: 'reboot' }));

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
    const response = await handler(changePower({ state: 'off' }));

    expect(response.statusCode).toBe(202);
    const { operation } = bodyOf<{ operation: { id: string } }>(response);
    expect(operation).toMatchObject({
      type: 'slice.power',
      status: 'running',
      resourceType: 'slice',
      resourceId: SLICE_ID,
    });
    expectSliceLockTaken(documents, operation.id, 'slice.power');
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      sk: `OPERATION#${operation.id}`,
      type: 'slice.power',
      status: 'running',
    });
    expectOneWorkflowStart(sfn, 'change-slice-power', {
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

    const response = await handler(changePower({ state: 'off' }));

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

    const response = await handler(changePower({ state: 'off' }));

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

    const response = await handler(changePower({ state: 'off' }));

    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(response.body).not.toContain('10.1.2.3');
  });

  it('announces nothing on the bus when the power change starts', async () => {
    await handler(changePower({ state: 'on' }));

    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(events.calls()).toHaveLength(0);
  });
});
