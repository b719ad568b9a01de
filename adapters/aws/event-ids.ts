import { createHash } from 'node:crypto';
import { eventIdentity } from '../../core/events/event-identity.ts';
import type { DomainEvent, EventDetail } from '../../core/events/event-types.ts';

/** The deterministic `eventId` of an event: `evt_` and 32 hex digits of its identity's SHA-256. */
export function eventIdOf(event: DomainEvent): string {
  return `evt_${createHash('sha256').update(eventIdentity(event)).digest('hex').slice(0, 32)}`;
}

/** The detail as it is sent: with its `eventId` (CONTRACT v1 additions). */
export function detailWithEventId(event: DomainEvent): EventDetail & { eventId: string } {
  return { ...event.detail, eventId: eventIdOf(event) };
}
