import { viewStorage } from '../core/presentation/storage-view.ts';
import { getStorage } from '../core/use-cases/get-storage.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getStorageRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `GET /v1/storage`: what the caller's snapshots take in the store, and what they cost a month. */
export const handler = httpHandler(getStorageRoute, async ({ accountId }) => {
  const { ports } = await services();
  return { status: 200, body: viewStorage(await getStorage(ports, { accountId })) };
});
