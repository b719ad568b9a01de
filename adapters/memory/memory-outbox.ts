import { eventIdentity } from '../../core/events/event-identity.ts';
import type { DomainEvent } from '../../core/events/event-types.ts';

/**
 * The memory repositories' outbox. It records the events a write carries when, and only when, the
 * write is applied, in order, for tests to read. An event with the identity of one recorded
 * already, as a retried step writes, is not recorded again.
 */
export class MemoryOutbox {
  readonly published: DomainEvent[] = [];
  readonly #outbox = new Set<string>();

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
