import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
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
          Detail: JSON.stringify(renamed.detail),
        },
      ],
    });
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
      detail: { accountId: 'acct-1', snapshotId: 'snp_1', error: { code: 'X', message: 'y' } },
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
