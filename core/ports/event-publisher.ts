import type { DomainEvent } from '../events/event-types.ts';

/** Tells users about state changes (EventBridge, source `slice-snapshots`). */
export interface EventPublisher {
  /**
   * Publishes every event or throws: an event that could not be delivered is never dropped
   * silently. Each detail goes out with a deterministic `eventId` (see eventIdentity): the same
   * state change published again, by a retry or a re-run, has the same id.
   */
  publish(...events: DomainEvent[]): Promise<void>;
}
