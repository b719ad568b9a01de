import type { DomainEvent } from '../events/event-types.ts';

/**
 * The events that tell of a state change, written with it: in the same transaction as the write
 * (an outbox), so the change is never stored without its events nor its events told without the
 * change. An event already in the outbox (same `eventId`: a retried step) is not written again.
 */
export interface WriteEvents {
  readonly events?: readonly DomainEvent[];
}
