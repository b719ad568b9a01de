import type { DomainEvent } from '../../core/events/event-types.ts';
import type { EventPublisher } from '../../core/ports/event-publisher.ts';

/** Keeps published events in order, for tests to read. */
export class MemoryEventPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];

  async publish(...events: DomainEvent[]): Promise<void> {
    this.published.push(...events.map((event) => structuredClone(event)));
  }
}
