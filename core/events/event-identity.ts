import type { DomainEvent } from './event-types.ts';

/** The detail's fields in a fixed order, nested objects too: equal details give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What identifies the state change an event tells of, so that telling it again (a retried step, a
 * re-run) gives the same `eventId` and a consumer can drop the repeat: its detail-type and account,
 * then its `key`, else its operation (each detail-type happens at most once per operation), else
 * its whole detail.
 */
export function eventIdentity(event: DomainEvent): string {
  const { accountId, operationId } = event.detail;
  const which =
    event.key ??
    (typeof operationId === 'string' ? `operation:${operationId}` : canonical(event.detail));
  return `${event.detailType}|${accountId}|${which}`;
}
