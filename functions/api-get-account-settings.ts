import { viewSettings } from '../core/presentation/settings-view.ts';
import { getAccountSettings } from '../core/use-cases/get-account-settings.ts';
import { httpHandler } from './shared/http-handler.ts';
import { getSettingsRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `GET /v1/settings`: the caller's account settings, the defaults until it changes any. */
export const handler = httpHandler(getSettingsRoute, async ({ accountId }) => {
  const { ports } = await services();
  return { status: 200, body: viewSettings(await getAccountSettings(ports, { accountId })) };
});
