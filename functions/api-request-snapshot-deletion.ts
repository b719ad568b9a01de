import { viewOperation } from '../core/presentation/operation-view.ts';
import { requestSnapshotDeletion } from '../core/use-cases/request-snapshot-deletion.ts';
import { httpHandler } from './shared/http-handler.ts';
import { deleteSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `DELETE /v1/snapshots/{id}`: 202 with the running deletion; billing has stopped. */
export const handler = httpHandler(deleteSnapshotRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  const operation = await requestSnapshotDeletion(ports, { accountId, snapshotId: params.id });
  return { status: 202, body: { operation: viewOperation(operation, ports.clock.now()) } };
});
