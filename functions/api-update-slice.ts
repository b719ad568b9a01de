import { viewSlice } from '../core/presentation/slice-view.ts';
import { updateSlice } from '../core/use-cases/update-slice.ts';
import { httpHandler } from './shared/http-handler.ts';
import { updateSliceRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `PATCH /v1/slices/{id}`: 200 with the slice renamed, relabelled or (un)protected. */
export const handler = httpHandler(updateSliceRoute, async ({ accountId, params, body }) => {
  const { ports } = await services();
  const slice = await updateSlice(ports, { accountId, sliceId: params.id, ...body });
  return { status: 200, body: viewSlice(slice) };
});
