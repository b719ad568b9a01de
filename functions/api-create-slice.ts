import { viewOperation } from '../core/presentation/operation-view.ts';
import { viewSlice } from '../core/presentation/slice-view.ts';
import { createSlice } from '../core/use-cases/create-slice.ts';
import { httpHandler } from './shared/http-handler.ts';
import { createSliceRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(createSliceRoute, async ({ accountId, body }) => {
  const { ports } = await services();
  const { slice, operation } = await createSlice(ports, { accountId, ...body });
  return {
    status: 202,
    body: { slice: viewSlice(slice), operation: viewOperation(operation, ports.clock.now()) },
  };
});
