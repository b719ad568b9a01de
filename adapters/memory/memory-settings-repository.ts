import type { SettingsRepository } from '../../core/ports/settings-repository.ts';
import type { AccountSettings } from '../../core/settings/account-settings.ts';

/** SettingsRepository in memory: one record per account, copies in and out. */
export class MemorySettingsRepository implements SettingsRepository {
  readonly #settings = new Map<string, AccountSettings>();

  async get(accountId: string): Promise<AccountSettings | null> {
    const stored = this.#settings.get(accountId);
    return stored ? { ...stored } : null;
  }

  async save(settings: AccountSettings): Promise<void> {
    this.#settings.set(settings.accountId, { ...settings });
  }
}
