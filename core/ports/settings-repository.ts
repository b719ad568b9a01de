import type { AccountSettings } from '../settings/account-settings.ts';

/** Each account's settings, one record per account. */
export interface SettingsRepository {
  /** The account's stored settings (read consistently), or null when it never changed any. */
  get(accountId: string): Promise<AccountSettings | null>;

  /** Stores the account's settings whole, replacing what was stored (the last write wins). */
  save(settings: AccountSettings): Promise<void>;
}
