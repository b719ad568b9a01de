import { eventIdentity } from '../../core/events/event-identity.ts';
import type { DomainEvent } from '../../core/events/event-types.ts';
import type { EventPublisher } from '../../core/ports/event-publisher.ts';

/**
 * Keeps published events in order, for tests to read. It is also the memory repositories' outbox,
 * which records the events a write carries when, and only when, the write is applied. An event
 * with the identity of one recorded already, as a retried step writes, is not recorded again.
 */
export class MemoryEventPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];
  readonly #outbox = new Set<string>();

  async publish(...events: DomainEvent[]): Promise<void> {
    this.published.push(...events.map((event) => structuredClone(event)));
  }

  /** Records a write's events, each once; called in the same synchronous step as the write. */
  recordWritten(events: readonly DomainEvent[] = []): void {
    for (const event of events) {
      const identity = eventIdentity(event);
      if (this.#outbox.has(identity)) continue;
      this.#outbox.add(identity);
      this.published.push(structuredClone(event));
    }
  }
}
