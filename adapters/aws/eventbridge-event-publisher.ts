import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type DomainEvent, EVENT_SOURCE } from '../../core/events/event-types.ts';
import type { EventPublisher } from '../../core/ports/event-publisher.ts';
import { detailWithEventId } from './event-ids.ts';

/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES_PER_CALL = 10;

/** Some events were not accepted by the bus; names each failed entry's reason. */
export class EventPublishFailedError extends Error {
  override readonly name = 'EventPublishFailedError';
  readonly failures: readonly { detailType: string; errorCode: string; errorMessage: string }[];

  constructor(failures: EventPublishFailedError['failures']) {
    super(
      `the event bus refused ${failures.length} event(s): ` +
        failures.map((each) => `${each.detailType} (${each.errorCode})`).join(', '),
    );
    this.failures = failures;
  }
}

/**
 * EventPublisher on an EventBridge bus, source `slice-snapshots`; refused entries throw. Each
 * detail carries its deterministic `eventId`: the same state change told twice has the same one.
 */
export class EventBridgeEventPublisher implements EventPublisher {
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;

  constructor(options: { client: EventBridgeClient; eventBusName: string }) {
    this.#client = options.client;
    this.#eventBusName = options.eventBusName;
  }

  async publish(...events: DomainEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_ENTRIES_PER_CALL) {
      const batch = events.slice(start, start + MAX_ENTRIES_PER_CALL);
      const result = await this.#client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.#eventBusName,
            Source: EVENT_SOURCE,
            DetailType: event.detailType,
            Detail: JSON.stringify(detailWithEventId(event)),
          })),
        }),
      );
      // PutEvents answers 200 even when entries fail: the count and each entry say so.
      if ((result.FailedEntryCount ?? 0) > 0) {
        const entries = result.Entries ?? [];
        const failures = batch.flatMap((event, index) => {
          const entry = entries[index];
          return entry?.ErrorCode || !entry
            ? [
                {
                  detailType: event.detailType,
                  errorCode: entry?.ErrorCode ?? 'Unknown',
                  errorMessage: entry?.ErrorMessage ?? 'no result for this entry',
                },
              ]
            : [];
        });
        throw new EventPublishFailedError(failures);
      }
    }
  }
}
