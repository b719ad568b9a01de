import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { SliceNotPlacedError } from '../../../../core/hosts/host-errors.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import { SliceLockNotHeldError, SliceNotFoundError } from '../../../../core/slices/slice-errors.ts';
import {
  confirmSliceLock,
  type SliceStepInput,
} from '../../../../core/use-cases/confirm-slice-lock.ts';
import { failSliceOperation } from '../../../../core/use-cases/fail-slice-operation.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import { ACCOUNT, anActiveSlice, HOST } from './support/snapshot-steps.ts';

const NOW = '2025-03-01T10:00:00.000Z';

describe('confirmSliceLock', () => {
  let ports: MemoryPorts;
  let slice: Slice;
  let step: SliceStepInput;

  beforeEach(async () => {
    ports = createMemoryPorts({ now: NOW });
    slice = await anActiveSlice(ports, { power: 'on' });
    const operation = await requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      state: 'off',
    });
    step = { accountId: ACCOUNT, sliceId: slice.id, operationId: operation.id };
  });

  it('says where the slice lives, its disk and the power state to put back', async () => {
    const held = await confirmSliceLock(ports, step);

    expect(held).toEqual({ hostId: HOST, power: 'on', diskBytes: 10 * BYTES_PER_GIB });
  });

  it('refuses an operation that does not hold the lock, naming the one that does', async () => {
    const attempt = confirmSliceLock(ports, { ...step, operationId: 'op_other' });

    await expect(attempt).rejects.toThrow(SliceLockNotHeldError);
    await expect(attempt).rejects.toMatchObject({ holderOperationId: step.operationId });
  });

  it('refuses an operation whose lock was given back already', async () => {
    await failSliceOperation(ports, { ...step, error: { Error: 'AgentUnreachable' } });

    await expect(confirmSliceLock(ports, step)).rejects.toThrow(SliceLockNotHeldError);
  });

  it('refuses a slice that has no host', async () => {
    const stored = await ports.slices.get(ACCOUNT, slice.id);
    if (!stored) throw new Error('no slice');
    await ports.slices.update(stored, { ...stored, hostId: null });

    await expect(confirmSliceLock(ports, step)).rejects.toThrow(SliceNotPlacedError);
  });

  it('does not find a slice of another account', async () => {
    await expect(confirmSliceLock(ports, { ...step, accountId: 'acct-2' })).rejects.toThrow(
      SliceNotFoundError,
    );
  });
});
