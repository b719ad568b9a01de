import type { DomainEvent } from '../events/event-types.ts';

/** Tells users about state changes (EventBridge, source `slice-snapshots`). */
export interface EventPublisher {
  /** Publishes every event or throws: an event that could not be delivered is never dropped silently. */
  publish(...events: DomainEvent[]): Promise<void>;
}
