import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import type { PowerState } from '../../../../core/slices/slice-status.ts';
import { completePowerChange } from '../../../../core/use-cases/complete-power-change.ts';
import type { SliceStepInput } from '../../../../core/use-cases/confirm-slice-lock.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import {
  ACCOUNT,
  anActiveSlice,
  eventsOf,
  operationUpdatesDown,
  recordingSliceWrites,
} from './support/snapshot-steps.ts';

const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T10:01:00.000Z';

describe('completePowerChange', () => {
  let ports: MemoryPorts;
  let slice: Slice;

  beforeEach(async () => {
    ports = createMemoryPorts({ now: NOW });
    slice = await anActiveSlice(ports, { power: 'on' });
  });

  async function aPowerChange(state: PowerState): Promise<SliceStepInput> {
    const operation = await requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      state,
    });
    ports.clock.set(LATER);
    return { accountId: ACCOUNT, sliceId: slice.id, operationId: operation.id };
  }

  it('records the power the host reported and gives the lock back in one write', async () => {
    const step = await aPowerChange('off');
    const { slices, writes } = recordingSliceWrites(ports);

    const outcome = await completePowerChange(
      { ...ports, slices },
      { ...step, power: 'off', previousPower: 'on' },
    );

    expect(outcome).toEqual({ changed: true });
    expect(writes).toEqual(['update']);
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'active',
      power: 'off',
      lock: null,
      updatedAt: LATER,
    });
  });

  it('succeeds the operation', async () => {
    const step = await aPowerChange('off');

    await completePowerChange(ports, { ...step, power: 'off', previousPower: 'on' });

    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'succeeded',
      finishedAt: LATER,
      error: null,
    });
  });

  it('emits Slice Power Changed with the power before the change', async () => {
    const step = await aPowerChange('off');

    await completePowerChange(ports, { ...step, power: 'off', previousPower: 'on' });

    expect(ports.events.published).toEqual([
      {
        detailType: EVENT.slicePowerChanged,
        detail: {
          accountId: ACCOUNT,
          sliceId: slice.id,
          operationId: step.operationId,
          power: 'off',
          previousPower: 'on',
        },
      },
    ]);
  });

  it('emits nothing when the slice was in that state already, and still succeeds', async () => {
    const step = await aPowerChange('on');

    const outcome = await completePowerChange(ports, { ...step, power: 'on', previousPower: 'on' });

    expect(outcome).toEqual({ changed: false });
    expect(ports.events.published).toEqual([]);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('succeeded');
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'active',
      lock: null,
    });
  });

  it('repeats nothing when the step runs twice', async () => {
    const step = await aPowerChange('off');
    await completePowerChange(ports, { ...step, power: 'off', previousPower: 'on' });
    const done = await ports.slices.get(ACCOUNT, slice.id);

    await completePowerChange(ports, { ...step, power: 'off', previousPower: 'on' });

    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(done);
    expect(eventsOf(ports, EVENT.slicePowerChanged)).toHaveLength(1);
  });

  it('emits Slice Power Changed once, on a retry after the write that carries it failed', async () => {
    const step = await aPowerChange('off');
    await expect(
      completePowerChange(
        { ...ports, operations: operationUpdatesDown(ports) },
        { ...step, power: 'off', previousPower: 'on' },
      ),
    ).rejects.toThrow('DynamoDB is down');
    expect(eventsOf(ports, EVENT.slicePowerChanged)).toEqual([]);

    await completePowerChange(ports, { ...step, power: 'off', previousPower: 'on' });

    expect(eventsOf(ports, EVENT.slicePowerChanged)).toEqual([
      {
        detailType: EVENT.slicePowerChanged,
        detail: expect.objectContaining({ power: 'off', previousPower: 'on' }),
      },
    ]);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('succeeded');
  });
});
