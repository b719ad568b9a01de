import { viewSettings } from '../core/presentation/settings-view.ts';
import { updateAccountSettings } from '../core/use-cases/update-account-settings.ts';
import { httpHandler } from './shared/http-handler.ts';
import { updateSettingsRoute } from './shared/routes.ts';
import { services } from './shared/services.ts';

/** `PATCH /v1/settings`: changes the fields given, answers the settings as they are now. */
export const handler = httpHandler(updateSettingsRoute, async ({ accountId, body }) => {
  const { ports } = await services();
  const settings = await updateAccountSettings(ports, { accountId, changes: body });
  return { status: 200, body: viewSettings(settings) };
});
