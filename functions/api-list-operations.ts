import { mapPage } from '../core/pagination/page.ts';
import { viewOperation } from '../core/presentation/operation-view.ts';
import { listOperations } from '../core/use-cases/list-operations.ts';
import { httpHandler } from './shared/http-handler.ts';
import { listOperationsRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(listOperationsRoute, async ({ accountId, query }) => {
  const { ports } = await services();
  const page = await listOperations(ports, { accountId, ...query });
  const now = ports.clock.now();
  return { status: 200, body: mapPage(page, (each) => viewOperation(each, now)) };
});
