import { viewSlice } from '../core/presentation/slice-view.ts';
import { getSlice } from '../core/use-cases/get-slice.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getSliceRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(getSliceRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  return { status: 200, body: viewSlice(await getSlice(ports, { accountId, sliceId: params.id })) };
});
