import { quoteSnapshotOf } from '../core/use-cases/quote-snapshot.ts';
import { httpHandler } from './shared/http-handler.ts';
import { quoteSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `GET /v1/slices/{id}/snapshot-quote?powerOff=`: 200 with the quote; nothing changes. */
export const handler = httpHandler(quoteSnapshotRoute, async ({ accountId, params, query }) => {
  const { ports } = await services();
  const quote = await quoteSnapshotOf(ports, {
    accountId,
    sliceId: params.id,
    powerOff: query.powerOff === 'true',
  });
  return { status: 200, body: quote };
});
