import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import type { WorkflowStarter } from '../../../../core/ports/workflow-starter.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceNotFoundError,
} from '../../../../core/slices/slice-errors.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import { ACCOUNT, anActiveSlice, deleteStoredSlice } from './support/snapshot-steps.ts';

const NOW = '2025-03-01T10:00:00.000Z';

describe('requestPowerChange', () => {
  let ports: MemoryPorts;
  let slice: Slice;

  beforeEach(async () => {
    ports = createMemoryPorts({ now: NOW });
    slice = await anActiveSlice(ports, { power: 'on' });
  });

  it('locks the slice and starts change-slice-power with the state asked for', async () => {
    const operation = await requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      state: 'off',
    });

    expect(operation).toMatchObject({
      type: 'slice.power',
      status: 'running',
      resourceType: 'slice',
      resourceId: slice.id,
      startedAt: NOW,
    });
    expect(await ports.operations.get(ACCOUNT, operation.id)).toEqual(operation);
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'busy',
      power: 'on',
      lock: { operationId: operation.id, operationType: 'slice.power', power: 'on' },
    });
    expect(ports.workflows.started).toEqual([
      {
        workflow: 'change-slice-power',
        input: { accountId: ACCOUNT, sliceId: slice.id, operationId: operation.id, state: 'off' },
      },
    ]);
  });

  it('refuses a second operation while the slice is busy, naming the one in the way', async () => {
    const first = await requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      state: 'off',
    });

    const second = requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      state: 'on',
    });

    await expect(second).rejects.toThrow(SliceBusyError);
    await expect(second).rejects.toThrow(first.id);
    expect(ports.workflows.started).toHaveLength(1);
    expect((await ports.operations.list(ACCOUNT, { limit: 10 })).items).toHaveLength(1);
  });

  it('does not find a slice of another account or an unknown one', async () => {
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
    await deleteStoredSlice(ports, slice);

    const attempt = requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      state: 'on',
    });

    await expect(attempt).rejects.toThrow(SliceNotFoundError);
    expect(ports.workflows.started).toEqual([]);
  });

  it('refuses a slice that is still being built', async () => {
    await ports.slices.update(slice, { ...slice, status: 'building' });

    await expect(
      requestPowerChange(ports, { accountId: ACCOUNT, sliceId: slice.id, state: 'on' }),
    ).rejects.toThrow(IllegalSliceTransitionError);
    expect(ports.workflows.started).toEqual([]);
  });

  it('gives the lock back and fails the operation when the workflow cannot start', async () => {
    const down: WorkflowStarter = {
      start: async () => {
        throw new Error('Step Functions is down');
      },
      describe: async () => ({ status: 'MISSING' as const, input: null }),
    };

    const attempt = requestPowerChange(
      { ...ports, workflows: down },
      { accountId: ACCOUNT, sliceId: slice.id, state: 'off' },
    );

    await expect(attempt).rejects.toThrow('Step Functions is down');
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'active',
      lock: null,
    });
    const [operation] = (await ports.operations.list(ACCOUNT, { limit: 10 })).items;
    expect(operation).toMatchObject({
      type: 'slice.power',
      status: 'failed',
      error: { code: 'WORKFLOW_START_FAILED' },
    });
  });
});
