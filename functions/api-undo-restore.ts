import { viewOperation } from '../core/presentation/operation-view.ts';
import { undoRestore } from '../core/use-cases/undo-restore.ts';
import { httpHandler } from './shared/http-handler.ts';
import { undoOperationRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/operations/{id}/undo`: 202 with the running restore that undoes the restore. */
export const handler = httpHandler(undoOperationRoute, async ({ accountId, params, body }) => {
  const { ports } = await services();
  const { operation } = await undoRestore(ports, {
    accountId,
    operationId: params.id,
    keepCurrent: body.keepCurrent ?? null,
  });
  return { status: 202, body: { operation: viewOperation(operation, ports.clock.now()) } };
});
