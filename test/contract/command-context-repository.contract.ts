import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import type {
  CommandContext,
  CommandContextRepository,
} from '../../core/ports/command-context-repository.ts';

/** The behaviour every CommandContextRepository shares; expiry is judged by `clock`. */
export function commandContextRepositoryContract(
  make: (clock: ManualClock) => CommandContextRepository,
): void {
  let clock: ManualClock;
  let contexts: CommandContextRepository;
  let token: string;
  const context: CommandContext = {
    accountId: 'acct-1',
    hostId: 'fra1-a',
    operationId: 'op_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    snapshotId: 'snp_01JD3QY8W7T2B6G0ZC4M9X5K1F',
  };
  const inAnHour = () => new Date(clock.now().getTime() + 3_600_000);

  beforeEach(() => {
    clock = new ManualClock(new Date());
    contexts = make(clock);
    token = `AAAA${randomUUID()}`.repeat(20);
  });

  it('finds the context saved for a task token', async () => {
    await contexts.save(token, context, inAnHour());

    expect(await contexts.find(token)).toEqual(context);
  });

  it('finds nothing for a token without a context', async () => {
    expect(await contexts.find(token)).toBeNull();
  });

  it('keeps a context without a snapshot', async () => {
    await contexts.save(token, { ...context, snapshotId: null }, inAnHour());

    expect(await contexts.find(token)).toEqual({ ...context, snapshotId: null });
  });

  it('overwrites a context saved again', async () => {
    await contexts.save(token, context, inAnHour());
    await contexts.save(token, { ...context, hostId: 'fra1-b' }, inAnHour());

    expect(await contexts.find(token)).toMatchObject({ hostId: 'fra1-b' });
  });

  it('finds nothing once the context expired', async () => {
    await contexts.save(token, context, new Date(clock.now().getTime() + 60_000));
    clock.advanceSeconds(61);

    expect(await contexts.find(token)).toBeNull();
  });
}
