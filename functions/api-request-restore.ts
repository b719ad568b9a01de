import { viewOperation } from '../core/presentation/operation-view.ts';
import { requestRestore } from '../core/use-cases/request-restore.ts';
import { httpHandler } from './shared/http-handler.ts';
import { restoreSnapshotRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/snapshots/{id}/restore`: 202 with the running restore. */
export const handler = httpHandler(restoreSnapshotRoute, async ({ accountId, params, body }) => {
  const { ports } = await services();
  const { operation } = await requestRestore(ports, {
    accountId,
    snapshotId: params.id,
    sliceId: body.sliceId ?? null,
  });
  return { status: 202, body: { operation: viewOperation(operation, ports.clock.now()) } };
});
