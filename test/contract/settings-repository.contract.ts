import { beforeEach, expect, it } from 'vitest';
import type { SettingsRepository } from '../../core/ports/settings-repository.ts';
import { anAccountId } from '../support/records.ts';

/** The behaviour every SettingsRepository shares. */
export function settingsRepositoryContract(make: () => SettingsRepository): void {
  let settings: SettingsRepository;
  let accountId: string;

  beforeEach(() => {
    settings = make();
    accountId = anAccountId();
  });

  it('has nothing for an account that never saved any', async () => {
    expect(await settings.get(accountId)).toBeNull();
  });

  it('returns what was saved last, for that account only', async () => {
    await settings.save({ accountId, recycleBinDays: 3, updatedAt: '2030-03-01T00:00:00.000Z' });

    await settings.save({ accountId, recycleBinDays: 0, updatedAt: '2030-03-02T00:00:00.000Z' });

    expect(await settings.get(accountId)).toEqual({
      accountId,
      recycleBinDays: 0,
      updatedAt: '2030-03-02T00:00:00.000Z',
    });
    expect(await settings.get(anAccountId())).toBeNull();
  });

  it('keeps accounts apart', async () => {
    const other = anAccountId();
    await settings.save({ accountId, recycleBinDays: 14, updatedAt: null });
    await settings.save({ accountId: other, recycleBinDays: 1, updatedAt: null });

    expect((await settings.get(accountId))?.recycleBinDays).toBe(14);
    expect((await settings.get(other))?.recycleBinDays).toBe(1);
  });
}
