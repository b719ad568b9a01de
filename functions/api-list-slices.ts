import { mapPage } from '../core/pagination/page.ts';
import { viewSlice } from '../core/presentation/slice-view.ts';
import { listSlices } from '../core/use-cases/list-slices.ts';
import { httpHandler } from './shared/http-handler.ts';
import { listSlicesRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(listSlicesRoute, async ({ accountId, query }) => {
  const { ports } = await services();
  const page = await listSlices(ports, { accountId, ...query });
  return { status: 200, body: mapPage(page, viewSlice) };
});
