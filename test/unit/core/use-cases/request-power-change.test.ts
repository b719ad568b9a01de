import { describe, expect, it } from 'vitest';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceNotFoundError,
} from '../../../../core/slices/slice-errors.ts';
import type { PowerState } from '../../../../core/slices/slice-status.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import { STEP_FUNCTIONS_DOWN } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts, NOW } from './support/given-ports.ts';
import { expectSliceTakenBy, expectStartFailureUndone } from './support/outcomes.ts';
import { withARunningSlice } from './support/set-ups.ts';
import { deleteStoredSlice } from './support/use-case-steps.ts';

describe('requestPowerChange', () => {
  const given = givenPorts(withARunningSlice);

  /** Asks to power the given slice to `state`. */
  const requestPower = (state: PowerState) =>
    requestPowerChange(given.ports, { accountId: ACCOUNT, sliceId: given.slice.id, state });

  it('locks the slice and starts change-slice-power with the state asked for', async () => {
    const { ports, slice } = given;
    const operation = await requestPower('off');

    expect(operation.startedAt).toBe(NOW);
    await expectSliceTakenBy(ports, slice.id, operation, {
      type: 'slice.power',
      workflow: 'change-slice-power',
      input: { accountId: ACCOUNT, sliceId: slice.id, operationId: operation.id, state: 'off' },
    });
  });

  it('refuses a second operation while the slice is busy, naming the one in the way', async () => {
    const { ports } = given;
    const first = await requestPower('off');

    const second = requestPower('on');

    await expect(second).rejects.toThrow(SliceBusyError);
    await expect(second).rejects.toThrow(first.id);
    expect(ports.workflows.started).toHaveLength(1);
    expect((await ports.operations.list(ACCOUNT, { limit: 10 })).items).toHaveLength(1);
  });

  it('does not find a slice of another account or an unknown one', async () => {
    const { ports, slice } = given;
    const inputs = [
      { accountId: 'acct-2', sliceId: slice.id },
      { accountId: ACCOUNT, sliceId: ports.ids.next('slice') },
    ];

    for (const input of inputs) {
      await expect(requestPowerChange(ports, { ...input, state: 'off' })).rejects.toThrow(
        SliceNotFoundError,
      );
    }

    expect(ports.workflows.started).toEqual([]);
  });

  it('does not find a deleted slice', async () => {
    const { ports, slice } = given;
    await deleteStoredSlice(ports, slice);

    const attempt = requestPower('on');

    await expect(attempt).rejects.toThrow(SliceNotFoundError);
    expect(ports.workflows.started).toEqual([]);
  });

  it('refuses a slice that is still being built', async () => {
    const { ports, slice } = given;
    await ports.slices.update(slice, { ...slice, status: 'building' });

    await expect(
      requestPowerChange(ports, { accountId: ACCOUNT, sliceId: slice.id, state: 'on' }),
    ).rejects.toThrow(IllegalSliceTransitionError);
    expect(ports.workflows.started).toEqual([]);
  });

  it('gives the lock back and fails the operation when the workflow cannot start', async () => {
    const { ports, slice } = given;
    const attempt = requestPowerChange(
      { ...ports, workflows: STEP_FUNCTIONS_DOWN },
      { accountId: ACCOUNT, sliceId: slice.id, state: 'off' },
    );

    await expect(attempt).rejects.toThrow('Step Functions is down');
    await expectStartFailureUndone(ports, slice, 'slice.power');
  });
});
