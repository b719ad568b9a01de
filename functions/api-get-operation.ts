import { viewOperation } from '../core/presentation/operation-view.ts';
import { getOperation } from '../core/use-cases/get-operation.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getOperationRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(getOperationRoute, async ({ accountId, params }) => {
  const { ports } = await services();
  const operation = await getOperation(ports, { accountId, operationId: params.id });
  return { status: 200, body: viewOperation(operation, ports.clock.now()) };
});
