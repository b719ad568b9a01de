import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import type { UploadRegistry } from '../../core/ports/upload-registry.ts';
import { ChunkCleanupInProgressError } from '../../core/snapshots/image-errors.ts';

const HOUR_MS = 3_600_000;

/** The behaviour every UploadRegistry shares; `make` builds one judging expiry by `clock`. */
export function uploadRegistryContract(make: (clock: ManualClock) => UploadRegistry): void {
  let clock: ManualClock;
  let registry: UploadRegistry;
  let account: string;
  const inAnHour = () => new Date(clock.now().getTime() + HOUR_MS);

  beforeEach(() => {
    clock = new ManualClock(new Date());
    registry = make(clock);
    account = `acct-${randomUUID()}`;
  });

  it('lets a cleanup begin when no upload of the account is in flight', async () => {
    expect(await registry.beginCleanup(account, 'snp_a', inAnHour())).toBe(true);
  });

  it('refuses a cleanup while an upload is in flight, and lets it begin once the upload ended', async () => {
    await registry.beginUpload(account, 'snp_up', inAnHour());

    const during = await registry.beginCleanup(account, 'snp_a', inAnHour());
    await registry.endUpload(account, 'snp_up');
    const after = await registry.beginCleanup(account, 'snp_a', inAnHour());

    expect(during).toBe(false);
    expect(after).toBe(true);
  });

  it('no longer counts an upload whose registration expired', async () => {
    await registry.beginUpload(account, 'snp_up', new Date(clock.now().getTime() + 60_000));
    clock.advanceSeconds(61);

    expect(await registry.beginCleanup(account, 'snp_a', inAnHour())).toBe(true);
  });

  it('refuses an upload while a cleanup holds the account, until it ends', async () => {
    await registry.beginCleanup(account, 'snp_a', inAnHour());

    const during = registry.beginUpload(account, 'snp_up', inAnHour());
    await expect(during).rejects.toBeInstanceOf(ChunkCleanupInProgressError);
    await registry.endCleanup(account, 'snp_a');
    await registry.beginUpload(account, 'snp_up', inAnHour());

    expect(await registry.beginCleanup(account, 'snp_b', inAnHour())).toBe(false);
  });

  it('lets an upload begin once a cleanup that never ended expired', async () => {
    await registry.beginCleanup(account, 'snp_a', new Date(clock.now().getTime() + 60_000));
    clock.advanceSeconds(61);

    await registry.beginUpload(account, 'snp_up', inAnHour());

    expect(await registry.beginCleanup(account, 'snp_b', inAnHour())).toBe(false);
  });

  it('lets one cleanup hold the account at a time, its owner again', async () => {
    await registry.beginCleanup(account, 'snp_a', inAnHour());

    expect(await registry.beginCleanup(account, 'snp_b', inAnHour())).toBe(false);
    expect(await registry.beginCleanup(account, 'snp_a', inAnHour())).toBe(true);
    await registry.endCleanup(account, 'snp_b');
    expect(await registry.beginCleanup(account, 'snp_b', inAnHour())).toBe(false);
    await registry.endCleanup(account, 'snp_a');
    expect(await registry.beginCleanup(account, 'snp_b', inAnHour())).toBe(true);
  });

  it('keeps accounts apart', async () => {
    await registry.beginUpload(account, 'snp_up', inAnHour());

    expect(await registry.beginCleanup(`${account}-other`, 'snp_a', inAnHour())).toBe(true);
  });

  it('takes an unknown upload ending as done already', async () => {
    await registry.endUpload(account, 'snp_never');

    expect(await registry.beginCleanup(account, 'snp_a', inAnHour())).toBe(true);
  });

  it('never lets an upload and a cleanup that race both begin', async () => {
    for (let round = 0; round < 8; round++) {
      const racing = `${account}-${round}`;

      const [upload, cleanup] = await Promise.allSettled([
        registry.beginUpload(racing, 'snp_up', inAnHour()),
        registry.beginCleanup(racing, 'snp_a', inAnHour()),
      ]);

      const uploaded = upload.status === 'fulfilled';
      const cleaning = cleanup.status === 'fulfilled' && cleanup.value;
      expect(uploaded && cleaning).toBe(false);
      expect(uploaded || cleaning).toBe(true);
    }
  });
}
