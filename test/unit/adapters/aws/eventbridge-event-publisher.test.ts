import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventIdOf } from '../../../../adapters/aws/event-ids.ts';
import {
  EventBridgeEventPublisher,
  EventPublishFailedError,
} from '../../../../adapters/aws/eventbridge-event-publisher.ts';
import { type DomainEvent, EVENT } from '../../../../core/events/event-types.ts';

const renamed: DomainEvent = {
  detailType: EVENT.snapshotRenamed,
  detail: { accountId: 'acct-1', snapshotId: 'snp_1', sliceId: 'slc_1', name: 'x' },
};

describe('EventBridgeEventPublisher', () => {
  const client = new EventBridgeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
  });
  const mock = mockClient(client);
  const publisher = new EventBridgeEventPublisher({ client, eventBusName: 'snapshots-bus' });

  beforeEach(() => mock.reset());

  it('puts each event on the bus with the source, the detail-type and the detail', async () => {
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });

    await publisher.publish(renamed);

    expect(mock.commandCalls(PutEventsCommand)[0]?.args[0].input).toEqual({
      Entries: [
        {
          EventBusName: 'snapshots-bus',
          Source: 'slice-snapshots',
          DetailType: 'Snapshot Renamed',
          Detail: JSON.stringify({ ...renamed.detail, eventId: eventIdOf(renamed) }),
        },
      ],
    });
  });

  it('gives every detail a deterministic eventId: the same state change, the same id', async () => {
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const failed = (operationId: string, message: string): DomainEvent => ({
      detailType: EVENT.snapshotFailed,
      detail: {
        accountId: 'acct-1',
        snapshotId: 'snp_1',
        operationId,
        error: { code: 'SNAPSHOT_FAILED', message },
      },
    });

    await publisher.publish(
      failed('op_1', 'first try'),
      failed('op_1', 'retried'),
      failed('op_2', 'x'),
    );

    const ids = (mock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? []).map(
      (entry) => (JSON.parse(entry.Detail ?? '{}') as { eventId: string }).eventId,
    );
    expect(ids[0]).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('sends at most 10 entries per call', async () => {
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });

    await publisher.publish(...Array.from({ length: 25 }, () => renamed));

    const sizes = mock
      .commandCalls(PutEventsCommand)
      .map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([10, 10, 5]);
  });

  it('throws when the bus refuses an entry, naming it', async () => {
    const failed: DomainEvent = {
      detailType: EVENT.snapshotFailed,
      detail: {
        accountId: 'acct-1',
        snapshotId: 'snp_1',
        error: { code: 'SNAPSHOT_FAILED', message: 'y' },
      },
    };
    mock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: '1' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });

    const attempt = publisher.publish(renamed, failed);

    await expect(attempt).rejects.toBeInstanceOf(EventPublishFailedError);
    await expect(attempt).rejects.toMatchObject({
      failures: [
        { detailType: 'Snapshot Failed', errorCode: 'InternalFailure', errorMessage: 'try again' },
      ],
    });
  });

  it('sends nothing for no events', async () => {
    await publisher.publish();

    expect(mock.calls()).toHaveLength(0);
  });
});
