import type { SettingsRepository } from '../../core/ports/settings-repository.ts';
import type { AccountSettings } from '../../core/settings/account-settings.ts';
import { accountPartition, type TableKey } from './dynamo-keys.ts';
import { SingleTable, type TableAccess } from './dynamo-record-table.ts';

/** The key of an account's one settings record, beside its other records (`sk = SETTINGS`). */
export function settingsKey(accountId: string): TableKey {
  return { pk: accountPartition(accountId), sk: 'SETTINGS' };
}

/** SettingsRepository on the single table, at `pk = ACCOUNT#<account>`, `sk = SETTINGS`. */
export class DynamoSettingsRepository implements SettingsRepository {
  readonly #table: SingleTable;

  constructor(access: TableAccess) {
    this.#table = new SingleTable(access);
  }

  async get(accountId: string): Promise<AccountSettings | null> {
    const item = await this.#table.get(settingsKey(accountId));
    if (!item) return null;
    return {
      accountId,
      recycleBinDays: Number(item.recycleBinDays),
      updatedAt: typeof item.updatedAt === 'string' ? item.updatedAt : null,
    };
  }

  async save(settings: AccountSettings): Promise<void> {
    await this.#table.put({
      Item: {
        ...settingsKey(settings.accountId),
        recordKind: 'settings',
        recycleBinDays: settings.recycleBinDays,
        updatedAt: settings.updatedAt,
      },
    });
  }
}
