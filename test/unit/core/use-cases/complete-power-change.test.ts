import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { PowerState } from '../../../../core/slices/slice-status.ts';
import { completePowerChange } from '../../../../core/use-cases/complete-power-change.ts';
import type { SliceStepInput } from '../../../../core/use-cases/confirm-slice-lock.ts';
import { expectSliceFree } from './support/expectations.ts';
import { recordingSliceWrites } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts, A_MINUTE_LATER as LATER } from './support/given-ports.ts';
import {
  eventsOf,
  expectEmittedOnceOnRetry,
  expectOperationSucceeded,
} from './support/outcomes.ts';
import { withARunningSlice } from './support/set-ups.ts';
import { aPowerChange } from './support/use-case-steps.ts';

describe('completePowerChange', () => {
  const given = givenPorts(withARunningSlice);

  /** A change of the slice to `state`, requested a minute before the step runs. */
  async function aPowerChangeTo(state: PowerState): Promise<SliceStepInput> {
    const step = await aPowerChange(given.ports, given.slice, state);
    given.ports.clock.set(LATER);
    return step;
  }

  it('records the power the host reported and gives the lock back in one write', async () => {
    const { ports, slice } = given;
    const step = await aPowerChangeTo('off');
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
    const { ports } = given;
    const step = await aPowerChangeTo('off');

    await completePowerChange(ports, { ...step, power: 'off', previousPower: 'on' });

    await expectOperationSucceeded(ports, step.operationId, LATER);
  });

  it('emits Slice Power Changed with the power before the change', async () => {
    const { ports, slice } = given;
    const step = await aPowerChangeTo('off');

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
    const { ports, slice } = given;
    const step = await aPowerChangeTo('on');

    const outcome = await completePowerChange(ports, { ...step, power: 'on', previousPower: 'on' });

    expect(outcome).toEqual({ changed: false });
    expect(ports.events.published).toEqual([]);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('succeeded');
    await expectSliceFree(ports, slice.id);
  });

  it('repeats nothing when the step runs twice', async () => {
    const { ports, slice } = given;
    const step = await aPowerChangeTo('off');
    await completePowerChange(ports, { ...step, power: 'off', previousPower: 'on' });
    const done = await ports.slices.get(ACCOUNT, slice.id);

    await completePowerChange(ports, { ...step, power: 'off', previousPower: 'on' });

    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(done);
    expect(eventsOf(ports, EVENT.slicePowerChanged)).toHaveLength(1);
  });

  it('emits Slice Power Changed once, on a retry after the write that carries it failed', async () => {
    const { ports } = given;
    const step = await aPowerChangeTo('off');
    const change = { ...step, power: 'off' as const, previousPower: 'on' as const };

    const emitted = await expectEmittedOnceOnRetry(
      ports,
      EVENT.slicePowerChanged,
      step.operationId,
      (deps) => completePowerChange(deps, change),
    );

    expect(emitted).toEqual([
      {
        detailType: EVENT.slicePowerChanged,
        detail: expect.objectContaining({ power: 'off', previousPower: 'on' }),
      },
    ]);
  });
});
