import { OUTBOX_PARTITION_PREFIX, TABLE_DESIGN } from '../../blueprint/facts.ts';
import { type DomainEvent, EVENT_SOURCE } from '../../core/events/event-types.ts';
import type { TableKey } from './dynamo-keys.ts';
import type { TableWrite } from './dynamo-table-writes.ts';
import { detailWithEventId } from './event-ids.ts';

/** The outbox item's sort key: one event per partition. */
export const OUTBOX_SORT_KEY = 'EVENT';

/** How long an outbox item stays after it is written: the stream keeps records 24 hours. */
const OUTBOX_RETENTION_SECONDS = 2 * 24 * 60 * 60;

/**
 * An event as the outbox stores it, and as the relays read it from the stream's new image: the
 * detail is kept as its JSON text (with its `eventId`), so it goes on the bus exactly as written.
 */
export interface OutboxItem extends TableKey {
  readonly recordKind: 'outbox';
  readonly eventId: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly expiration: number;
}

/** The outbox item of an event, written at `nowSeconds` (epoch seconds; its TTL counts from it). */
export function outboxItem(event: DomainEvent, nowSeconds: number): OutboxItem {
  const detail = detailWithEventId(event);
  return {
    pk: `${OUTBOX_PARTITION_PREFIX}${detail.eventId}`,
    sk: OUTBOX_SORT_KEY,
    recordKind: 'outbox',
    eventId: detail.eventId,
    source: EVENT_SOURCE,
    detailType: event.detailType,
    detail: JSON.stringify(detail),
    [TABLE_DESIGN.ttlAttribute]: nowSeconds + OUTBOX_RETENTION_SECONDS,
  } as OutboxItem;
}

/**
 * The conditional puts of a write's events: an event whose `eventId` is in the outbox already (a
 * retried step) fails its condition instead of being told twice.
 */
export function outboxPuts(events: readonly DomainEvent[], nowSeconds: number): TableWrite[] {
  return events.map((event) => ({
    Put: {
      Item: { ...outboxItem(event, nowSeconds) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
}
