import { viewCharges } from '../core/presentation/charges-view.ts';
import { getMonthlyCharges } from '../core/use-cases/get-monthly-charges.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getChargesRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

export const handler = httpHandler(getChargesRoute, async ({ accountId, query }) => {
  const { ports } = await services();
  const charges = await getMonthlyCharges(ports, { accountId, month: query.month });
  return { status: 200, body: viewCharges(charges) };
});
