import type { Ports } from '../ports/ports.ts';
import { type AccountSettings, defaultSettings } from '../settings/account-settings.ts';

/** The caller's account settings: those it set, else the defaults (a 7-day recycle bin). */
export async function getAccountSettings(
  deps: Pick<Ports, 'settings'>,
  input: { accountId: string },
): Promise<AccountSettings> {
  return (await deps.settings.get(input.accountId)) ?? defaultSettings(input.accountId);
}
