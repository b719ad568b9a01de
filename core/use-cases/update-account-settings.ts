import type { Ports } from '../ports/ports.ts';
import {
  type AccountSettings,
  changeSettings,
  type SettingsChanges,
} from '../settings/account-settings.ts';
import { toIsoTime } from '../shared/time.ts';
import { getAccountSettings } from './get-account-settings.ts';

/**
 * `PATCH /v1/settings`: the fields given change, the others keep their value (InvalidInputError
 * for a value out of range). A new recycleBinDays applies to snapshots deleted from now on; those
 * in the recycle bin keep the purge time they went in with.
 */
export async function updateAccountSettings(
  deps: Pick<Ports, 'settings' | 'clock'>,
  input: { accountId: string; changes: SettingsChanges },
): Promise<AccountSettings> {
  const current = await getAccountSettings(deps, input);
  const next = changeSettings(current, input.changes, toIsoTime(deps.clock.now()));
  await deps.settings.save(next);
  return next;
}
