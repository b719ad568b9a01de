import type { AccountSettings } from '../settings/account-settings.ts';

/** An account's settings as CONTRACT.md shows them. */
export interface SettingsView {
  readonly recycleBinDays: number;
}

/** The public view of an account's settings. */
export function viewSettings(settings: AccountSettings): SettingsView {
  return { recycleBinDays: settings.recycleBinDays };
}
