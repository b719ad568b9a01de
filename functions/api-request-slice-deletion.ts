import { viewOperation } from '../core/presentation/operation-view.ts';
import { requestSliceDeletion } from '../core/use-cases/request-slice-deletion.ts';
import { httpHandler } from './shared/http-handler.ts';
import { deleteSliceRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `DELETE /v1/slices/{id}`: 202 with the running deletion; the slice's snapshots stay. */
export const handler = httpHandler(deleteSliceRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  const operation = await requestSliceDeletion(ports, { accountId, sliceId: params.id });
  return { status: 202, body: { operation: viewOperation(operation, ports.clock.now()) } };
});
