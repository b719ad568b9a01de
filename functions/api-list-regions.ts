import { listRegions } from '../core/use-cases/list-regions.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getRegionsRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(getRegionsRoute, async () => {
  const { ports } = await services();
  return { status: 200, body: { items: await listRegions(ports) } };
});
