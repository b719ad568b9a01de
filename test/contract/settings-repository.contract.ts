import { expect, it } from 'vitest';
import type { SettingsRepository } from '../../core/ports/settings-repository.ts';
import { anAccountId } from '../support/records.ts';
import { freshPerTest } from './describe-contract.ts';

/** The behaviour every SettingsRepository shares. */
export function settingsRepositoryContract(make: () => SettingsRepository): void {
  const fresh = freshPerTest(() => ({ settings: make(), accountId: anAccountId() }));

  it('has nothing for an account that never saved any', async () => {
    expect(await fresh.settings.get(fresh.accountId)).toBeNull();
  });

  it('returns what was saved last, for that account only', async () => {
    await fresh.settings.save({
      accountId: fresh.accountId,
      recycleBinDays: 3,
      updatedAt: '2030-03-01T00:00:00.000Z',
    });

    await fresh.settings.save({
      accountId: fresh.accountId,
      recycleBinDays: 0,
      updatedAt: '2030-03-02T00:00:00.000Z',
    });

    expect(await fresh.settings.get(fresh.accountId)).toEqual({
      accountId: fresh.accountId,
      recycleBinDays: 0,
      updatedAt: '2030-03-02T00:00:00.000Z',
    });
    expect(await fresh.settings.get(anAccountId())).toBeNull();
  });

  it('keeps accounts apart', async () => {
    const other = anAccountId();
    await fresh.settings.save({ accountId: fresh.accountId, recycleBinDays: 14, updatedAt: null });
    await fresh.settings.save({ accountId: other, recycleBinDays: 1, updatedAt: null });

    expect((await fresh.settings.get(fresh.accountId))?.recycleBinDays).toBe(14);
    expect((await fresh.settings.get(other))?.recycleBinDays).toBe(1);
  });
}
