import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { ManualClock } from '../../adapters/memory/manual-clock.ts';
import type {
  CommandContext,
  CommandContextRepository,
} from '../../core/ports/command-context-repository.ts';
import { freshPerTest } from './describe-contract.ts';

/** The behaviour every CommandContextRepository shares; expiry is judged by `clock`. */
export function commandContextRepositoryContract(
  make: (clock: ManualClock) => CommandContextRepository,
): void {
  const context: CommandContext = {
    accountId: 'acct-1',
    hostId: 'fra1-a',
    operationId: 'op_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    snapshotId: 'snp_01JD3QY8W7T2B6G0ZC4M9X5K1F',
  };
  const fresh = freshPerTest(() => {
    const clock = new ManualClock(new Date());
    return { clock, contexts: make(clock), token: `AAAA${randomUUID()}`.repeat(20) };
  });
  const inAnHour = () => new Date(fresh.clock.now().getTime() + 3_600_000);

  it('finds the context saved for a task token', async () => {
    await fresh.contexts.save(fresh.token, context, inAnHour());

    expect(await fresh.contexts.find(fresh.token)).toEqual(context);
  });

  it('finds nothing for a token without a context', async () => {
    expect(await fresh.contexts.find(fresh.token)).toBeNull();
  });

  it('keeps a context without a snapshot', async () => {
    await fresh.contexts.save(fresh.token, { ...context, snapshotId: null }, inAnHour());

    expect(await fresh.contexts.find(fresh.token)).toEqual({ ...context, snapshotId: null });
  });

  it('overwrites a context saved again', async () => {
    await fresh.contexts.save(fresh.token, context, inAnHour());
    await fresh.contexts.save(fresh.token, { ...context, hostId: 'fra1-b' }, inAnHour());

    expect(await fresh.contexts.find(fresh.token)).toMatchObject({ hostId: 'fra1-b' });
  });

  it('finds nothing once the context expired', async () => {
    await fresh.contexts.save(fresh.token, context, new Date(fresh.clock.now().getTime() + 60_000));
    fresh.clock.advanceSeconds(61);

    expect(await fresh.contexts.find(fresh.token)).toBeNull();
  });
}
