import { describe, expect, it } from 'vitest';
import { SliceNotPlacedError } from '../../../../core/hosts/host-errors.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { SliceLockNotHeldError, SliceNotFoundError } from '../../../../core/slices/slice-errors.ts';
import { confirmSliceLock } from '../../../../core/use-cases/confirm-slice-lock.ts';
import { failSliceOperation } from '../../../../core/use-cases/fail-slice-operation.ts';
import { ACCOUNT, givenPorts, HOST } from './support/given-ports.ts';
import { anActiveSlice, aPowerChange } from './support/use-case-steps.ts';
import { AGENT_UNREACHABLE } from './support/workflow-errors.ts';

describe('confirmSliceLock', () => {
  const given = givenPorts(async (ports) => {
    const slice = await anActiveSlice(ports, { power: 'on' });
    return { slice, step: await aPowerChange(ports, slice, 'off') };
  });

  it('says where the slice lives, its disk and the power state to put back', async () => {
    const { ports, step } = given;
    const held = await confirmSliceLock(ports, step);

    expect(held).toEqual({ hostId: HOST, power: 'on', diskBytes: 10 * BYTES_PER_GIB });
  });

  it('refuses an operation that does not hold the lock, naming the one that does', async () => {
    const { ports, step } = given;
    const attempt = confirmSliceLock(ports, { ...step, operationId: 'op_other' });

    await expect(attempt).rejects.toThrow(SliceLockNotHeldError);
    await expect(attempt).rejects.toMatchObject({ holderOperationId: step.operationId });
  });

  it('refuses an operation whose lock was given back already', async () => {
    const { ports, step } = given;
    await failSliceOperation(ports, { ...step, error: AGENT_UNREACHABLE });

    await expect(confirmSliceLock(ports, step)).rejects.toThrow(SliceLockNotHeldError);
  });

  it('refuses a slice that has no host', async () => {
    const { ports, slice, step } = given;
    const stored = await ports.slices.get(ACCOUNT, slice.id);
    if (!stored) throw new Error('no slice');
    await ports.slices.update(stored, { ...stored, hostId: null });

    await expect(confirmSliceLock(ports, step)).rejects.toThrow(SliceNotPlacedError);
  });

  it('does not find a slice of another account', async () => {
    const { ports, step } = given;
    await expect(confirmSliceLock(ports, { ...step, accountId: 'acct-2' })).rejects.toThrow(
      SliceNotFoundError,
    );
  });
});
