import { viewOperation } from '../core/presentation/operation-view.ts';
import { requestPowerChange } from '../core/use-cases/request-power-change.ts';
import { httpHandler } from './shared/http-handler.ts';
import { changeSlicePowerRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `POST /v1/slices/{id}/power`: 202 with the running power change. */
export const handler = httpHandler(changeSlicePowerRoute, async ({ accountId, params, body }) => {
  const { ports } = await services();
  const operation = await requestPowerChange(ports, {
    accountId,
    sliceId: params.id,
    state: body.state,
  });
  return { status: 202, body: { operation: viewOperation(operation, ports.clock.now()) } };
});
