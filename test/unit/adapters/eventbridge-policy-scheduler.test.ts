import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePolicyScheduler } from '../../../adapters/aws/eventbridge-policy-scheduler.ts';
import type { SnapshotPolicy } from '../../../core/policies/snapshot-policy.ts';

const scheduler = mockClient(SchedulerClient);
const adapter = new EventBridgePolicyScheduler({
  client: new SchedulerClient({ region: 'eu-central-1' }),
  groupName: 'slice-snapshots-policies',
  runPolicyStateMachineArn: 'arn:aws:states:eu-central-1:123456789012:stateMachine:run-policy',
  roleArn: 'arn:aws:iam::123456789012:role/policy-scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-central-1:123456789012:policy-schedule-dead-letters',
});

const POLICY: SnapshotPolicy = {
  id: 'pol_01JNZ5Y1Q0000000000000000D',
  accountId: 'acct-1',
  name: 'nightly',
  enabled: false,
  schedule: { every: '12h', at: '06:45' },
  target: { sliceSelector: 'env==prod' },
  retain: { daily: 7 },
  powerOff: false,
  labels: {},
  onSliceDeleted: 'keep',
  createdAt: '2026-03-10T12:00:00.000Z',
  updatedAt: '2026-03-10T12:00:00.000Z',
};

const notFound = () =>
  new ResourceNotFoundException({ Message: 'gone', message: 'gone', $metadata: {} });

describe('EventBridgePolicyScheduler', () => {
  beforeEach(() => scheduler.reset());
  afterAll(() => scheduler.restore());

  it('updates the schedule in place, disabled with its policy, in UTC', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({});

    await adapter.put(POLICY);

    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toMatchObject({
      Name: POLICY.id,
      GroupName: 'slice-snapshots-policies',
      ScheduleExpression: 'cron(45 6/12 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'DISABLED',
      Target: {
        DeadLetterConfig: {
          Arn: 'arn:aws:sqs:eu-central-1:123456789012:policy-schedule-dead-letters',
        },
      },
    });
  });

  it('creates a missing schedule, and updates one a retried request created meanwhile', async () => {
    scheduler
      .on(UpdateScheduleCommand)
      .rejectsOnce(notFound())
      .resolves({})
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ Message: 'exists', message: 'exists', $metadata: {} }));

    await adapter.put(POLICY);

    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(1);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(2);
  });

  it('deletes the schedule, and takes one gone already as deleted; other errors go on', async () => {
    scheduler.on(DeleteScheduleCommand).rejectsOnce(notFound()).rejects(new Error('throttled'));

    await expect(adapter.remove(POLICY.id)).resolves.toBeUndefined();
    await expect(adapter.remove(POLICY.id)).rejects.toThrow('throttled');
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: POLICY.id,
      GroupName: 'slice-snapshots-policies',
    });
  });
});
