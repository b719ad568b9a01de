import { InvalidInputError } from '../shared/domain-error.ts';

/** Days a deleted snapshot stays in the recycle bin unless the account says otherwise. */
export const DEFAULT_RECYCLE_BIN_DAYS = 7;
/** The longest an account may keep deleted snapshots in the recycle bin. */
export const MAX_RECYCLE_BIN_DAYS = 14;

const SECONDS_PER_DAY = 86_400;

/** An account's own settings, as stored; an account that never set any has the defaults. */
export interface AccountSettings {
  readonly accountId: string;
  /**
   * Days a deleted snapshot stays in the recycle bin, recoverable and not billed, before it is
   * purged. 0 turns the bin off, and a deletion then deletes at once.
   */
  readonly recycleBinDays: number;
  /** When the account last changed them; null for the defaults. */
  readonly updatedAt: string | null;
}

/** What `PATCH /v1/settings` may change; a field left out keeps its value. */
export interface SettingsChanges {
  readonly recycleBinDays?: number;
}

/** The settings of an account that never changed any. */
export function defaultSettings(accountId: string): AccountSettings {
  return { accountId, recycleBinDays: DEFAULT_RECYCLE_BIN_DAYS, updatedAt: null };
}

/**
 * The settings with `changes` applied at `now`. A recycleBinDays that is not a whole number from 0
 * to MAX_RECYCLE_BIN_DAYS is InvalidInputError.
 */
export function changeSettings(
  settings: AccountSettings,
  changes: SettingsChanges,
  now: string,
): AccountSettings {
  const days = changes.recycleBinDays;
  if (
    days !== undefined &&
    !(Number.isInteger(days) && days >= 0 && days <= MAX_RECYCLE_BIN_DAYS)
  ) {
    throw new InvalidInputError([
      {
        path: 'recycleBinDays',
        message: `must be a whole number of days from 0 to ${MAX_RECYCLE_BIN_DAYS}`,
      },
    ]);
  }
  return { ...settings, recycleBinDays: days ?? settings.recycleBinDays, updatedAt: now };
}

/** True when deleted snapshots go to the recycle bin rather than being deleted at once. */
export function recycleBinEnabled(settings: AccountSettings): boolean {
  return settings.recycleBinDays > 0;
}

/** When a snapshot deleted into the recycle bin at `deletedAt` is purged. */
export function purgeTimeOf(settings: AccountSettings, deletedAt: Date): Date {
  return new Date(deletedAt.getTime() + settings.recycleBinDays * SECONDS_PER_DAY * 1000);
}
