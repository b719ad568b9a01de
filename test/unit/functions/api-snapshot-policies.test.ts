import {
  CreateScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { bodyOf, type Problem, routeRequest } from './api-request.ts';
import { mockedApi } from './mocked-api.ts';
import {
  ACCOUNT,
  SCHEDULE_DEAD_LETTERS,
  SCHEDULE_GROUP,
  SCHEDULER_ROLE,
  SLICE_ID,
  stateMachineArn,
  TABLE,
} from './stored-records.ts';

const NOW = '2026-03-10T12:20:00.000Z';
const POLICY_ID = 'pol_01JNZ5Y1Q0000000000000000D';
const POLICY_KEY = { pk: `ACCOUNT#${ACCOUNT}`, sk: `POLICY#${POLICY_ID}` };

const BODY = {
  name: 'nightly',
  schedule: { every: '1d', at: '02:30' },
  target: { sliceIds: [SLICE_ID] },
  retain: { last: 3, daily: 7, weekly: 4 },
};

const createPolicy = (body: unknown) => routeRequest('POST /v1/snapshot-policies', { body });
const getPolicy = (accountId?: string) =>
  routeRequest('GET /v1/snapshot-policies/{id}', { id: POLICY_ID, accountId });

describe('api-create-snapshot-policy', () => {
  const { documents, scheduler, handler } = mockedApi(
    'functions/api-create-snapshot-policy.ts',
    NOW,
  );

  beforeEach(() => {
    documents.on(PutCommand).resolves({});
    scheduler.on(UpdateScheduleCommand).rejects(
      new ResourceNotFoundException({
        Message: 'no schedule',
        message: 'no schedule',
        $metadata: {},
      }),
    );
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
  });

  it('stores the policy beside the account’s records and answers 201 with its next run', async () => {
    const response = await handler(createPolicy(BODY));

    expect(response.statusCode).toBe(201);
    const policy = bodyOf(response);
    expect(policy).toMatchObject({
      ...BODY,
      enabled: true,
      powerOff: false,
      labels: {},
      onSliceDeleted: 'keep',
      nextRunAt: '2026-03-11T02:30:00.000Z',
      createdAt: NOW,
    });
    expect(policy).not.toHaveProperty('accountId');
    const [put] = documents.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(put).toMatchObject({
      TableName: TABLE,
      Item: { pk: `ACCOUNT#${ACCOUNT}`, sk: `POLICY#${String(policy.id)}`, recordKind: 'policy' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const [schedule] = scheduler
      .commandCalls(CreateScheduleCommand)
      .map((call) => call.args[0].input);
    expect(schedule).toEqual({
      Name: policy.id,
      GroupName: SCHEDULE_GROUP,
      ScheduleExpression: 'cron(30 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: stateMachineArn('run-policy'),
        RoleArn: SCHEDULER_ROLE,
        Input: JSON.stringify({ accountId: ACCOUNT, policyId: policy.id }),
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3_600 },
        DeadLetterConfig: { Arn: SCHEDULE_DEAD_LETTERS },
      },
    });
  });

  it('answers 400 naming a cron that fires more often than hourly, and stores nothing', async () => {
    const response = await handler(
      createPolicy({ ...BODY, schedule: { cron: 'cron(0,30 * * * ? *)' } }),
    );

    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(bodyOf<Problem>(response)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { path: 'body.schedule.cron', message: expect.stringContaining('at most once an hour') },
      ],
    });
    expect(documents.commandCalls(PutCommand)).toEqual([]);
  });

  it('answers 400 for a retain that keeps nothing', async () => {
    const response = await handler(createPolicy({ ...BODY, retain: { daily: 0 } }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf<Problem>(response).errors).toEqual([
      { path: 'body.retain', message: expect.stringContaining('must keep something') },
    ]);
  });
});

describe('api-get-snapshot-policy', () => {
  const { documents, handler } = mockedApi('functions/api-get-snapshot-policy.ts', NOW);

  beforeEach(() => {
    documents.on(GetCommand).resolves({});
    documents.on(GetCommand, { Key: POLICY_KEY }).resolves({
      Item: {
        ...POLICY_KEY,
        recordKind: 'policy',
        id: POLICY_ID,
        accountId: ACCOUNT,
        ...BODY,
        enabled: false,
        powerOff: false,
        labels: {},
        onSliceDeleted: 'keep',
        createdAt: NOW,
        updatedAt: NOW,
      },
    });
  });

  it('answers the policy, with no next run while it is disabled', async () => {
    const response = await handler(getPolicy());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({ id: POLICY_ID, enabled: false, nextRunAt: null });
  });

  it('answers 404 POLICY_NOT_FOUND for another account’s policy', async () => {
    const response = await handler(getPolicy('acct-2'));

    expect(response.statusCode).toBe(404);
    expect(bodyOf<Problem>(response).code).toBe('POLICY_NOT_FOUND');
  });
});

describe('api-simulate-unsaved-snapshot-policy', () => {
  const { handler } = mockedApi('functions/api-simulate-unsaved-snapshot-policy.ts', NOW);

  it('answers 400 for a window past 90 days', async () => {
    const response = await handler(
      routeRequest('POST /v1/snapshot-policies/simulate', { body: { ...BODY, days: 91 } }),
    );

    expect(response.statusCode).toBe(400);
    expect(bodyOf<Problem>(response).errors?.map((error) => error.path)).toEqual(['body.days']);
  });
});
