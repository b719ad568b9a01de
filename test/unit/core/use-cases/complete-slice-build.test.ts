import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { SliceNotPlacedError } from '../../../../core/hosts/host-errors.ts';
import { newOperation, type Operation } from '../../../../core/operations/operation.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { newSlice, type Slice } from '../../../../core/slices/slice.ts';
import { completeSliceBuild } from '../../../../core/use-cases/complete-slice-build.ts';

const ACCOUNT = 'acct-1';
const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T10:00:05.000Z';

describe('completeSliceBuild', () => {
  let ports: MemoryPorts;
  let slice: Slice;
  let operation: Operation;

  beforeEach(async () => {
    ports = createMemoryPorts({ now: NOW });
    const built = newSlice({
      id: ports.ids.next('slice'),
      accountId: ACCOUNT,
      name: 'web-1',
      region: 'fra1',
      diskBytes: 10 * BYTES_PER_GIB,
      now: NOW,
    });
    slice = { ...built, hostId: 'fra1-a' };
    operation = newOperation({
      id: ports.ids.next('operation'),
      accountId: ACCOUNT,
      type: 'slice.create',
      resourceId: slice.id,
      now: NOW,
    });
    await ports.slices.create(slice);
    await ports.operations.create(operation);
    ports.clock.set(LATER);
  });

  const input = () => ({
    accountId: ACCOUNT,
    sliceId: slice.id,
    operationId: operation.id,
    power: 'on' as const,
  });

  it('makes the slice active in its power state and succeeds its operation', async () => {
    const completed = await completeSliceBuild(ports, input());

    expect(completed).toMatchObject({ status: 'active', power: 'on', hostId: 'fra1-a' });
    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(completed);
    expect(await ports.operations.get(ACCOUNT, operation.id)).toMatchObject({
      status: 'succeeded',
      finishedAt: LATER,
      error: null,
    });
  });

  it('emits Slice Created with the account and the ids involved', async () => {
    await completeSliceBuild(ports, input());

    expect(ports.events.published).toEqual([
      {
        detailType: EVENT.sliceCreated,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          sliceId: slice.id,
          operationId: operation.id,
          region: 'fra1',
        }),
      },
    ]);
  });

  it('emits Slice Created once when the step is retried', async () => {
    await completeSliceBuild(ports, input());

    const again = await completeSliceBuild(ports, input());

    expect(again.status).toBe('active');
    expect(ports.events.published).toHaveLength(1);
  });

  it('finishes the operation and emits the event when an earlier try activated the slice only', async () => {
    const stored = (await ports.slices.get(ACCOUNT, slice.id)) as Slice;
    await ports.slices.update(stored, { ...stored, status: 'active', power: 'on' });

    await completeSliceBuild(ports, input());

    expect((await ports.operations.get(ACCOUNT, operation.id))?.status).toBe('succeeded');
    expect(ports.events.published.map((event) => event.detailType)).toEqual([EVENT.sliceCreated]);
  });

  it('refuses a slice that was never placed on a host', async () => {
    const stored = (await ports.slices.get(ACCOUNT, slice.id)) as Slice;
    await ports.slices.update(stored, { ...stored, hostId: null });

    await expect(completeSliceBuild(ports, input())).rejects.toThrow(SliceNotPlacedError);
    expect(ports.events.published).toEqual([]);
  });
});
