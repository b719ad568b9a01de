import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import type { SliceStepInput } from '../../../../core/use-cases/confirm-slice-lock.ts';
import { failSliceOperation } from '../../../../core/use-cases/fail-slice-operation.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import { requestSliceDeletion } from '../../../../core/use-cases/request-slice-deletion.ts';
import { ACCOUNT, anActiveSlice } from './support/snapshot-steps.ts';

const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T10:01:00.000Z';
const UNREACHABLE = { Error: 'AgentUnreachable', Cause: 'connect ECONNREFUSED 10.0.0.7:8443' };

describe('failSliceOperation', () => {
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
    ports.clock.set(LATER);
  });

  it('gives the lock back and fails the operation with a reason users can read', async () => {
    const failure = await failSliceOperation(ports, { ...step, error: UNREACHABLE });

    expect(failure).toEqual({
      code: 'AGENT_UNREACHABLE',
      message: "the slice's host could not be reached",
    });
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'active',
      power: 'on',
      lock: null,
    });
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'failed',
      finishedAt: LATER,
      error: failure,
    });
  });

  it('emits nothing', async () => {
    await failSliceOperation(ports, { ...step, error: UNREACHABLE });

    expect(ports.events.published).toEqual([]);
  });

  it('falls back to a generic reason for an error it does not know', async () => {
    const failure = await failSliceOperation(ports, {
      ...step,
      error: { Error: 'States.Runtime', Cause: 'x' },
    });

    expect(failure).toEqual({
      code: 'SLICE_OPERATION_FAILED',
      message: 'the operation on the slice failed; the slice is as it was',
    });
  });

  it('keeps the first failure when the step runs twice', async () => {
    await failSliceOperation(ports, { ...step, error: UNREACHABLE });

    await failSliceOperation(ports, { ...step, error: { Error: 'PowerTimeout' } });

    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'failed',
      error: { code: 'AGENT_UNREACHABLE' },
    });
  });

  it('fails a slice deletion the same way, the slice kept', async () => {
    await failSliceOperation(ports, { ...step, error: UNREACHABLE });
    const deletion = await requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });

    await failSliceOperation(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      operationId: deletion.id,
      error: { Error: 'DiskNotFound' },
    });

    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'active',
      lock: null,
    });
    expect(await ports.operations.get(ACCOUNT, deletion.id)).toMatchObject({
      status: 'failed',
      error: { code: 'DISK_NOT_FOUND' },
    });
  });
});
