import { viewOperation } from '../core/presentation/operation-view.ts';
import { requestSliceDeletion } from '../core/use-cases/request-slice-deletion.ts';
import { httpHandler } from './shared/http-handler.ts';
import { deleteSliceRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/**
 * `DELETE /v1/slices/{id}[?finalSnapshot=true]`: 202 with the running deletion; the slice's
 * snapshots stay, and with `finalSnapshot` one more is taken before the disk goes.
 */
export const handler = httpHandler(deleteSliceRoute, async ({ accountId, params, query }) => {
  const { ports } = await services();
  const operation = await requestSliceDeletion(ports, {
    accountId,
    sliceId: params.id,
    finalSnapshot: query.finalSnapshot === 'true',
  });
  return { status: 202, body: { operation: viewOperation(operation, ports.clock.now()) } };
});
