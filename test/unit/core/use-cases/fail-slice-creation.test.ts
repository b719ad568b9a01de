import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { newOperation, type Operation } from '../../../../core/operations/operation.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { newSlice, type Slice } from '../../../../core/slices/slice.ts';
import { failSliceCreation } from '../../../../core/use-cases/fail-slice-creation.ts';
import type { WorkflowError } from '../../../../core/workflows/workflow-failure.ts';

const ACCOUNT = 'acct-1';
const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T10:00:05.000Z';
const UNREACHABLE = {
  Error: 'AgentUnreachable',
  Cause:
    '{"errorMessage":"the agent of host fra1-a could not be reached: connect ECONNREFUSED 10.0.0.7:8443"}',
};

describe('failSliceCreation', () => {
  let ports: MemoryPorts;
  let slice: Slice;
  let operation: Operation;

  async function setUp(hostId: string | null): Promise<void> {
    ports = createMemoryPorts({ now: NOW });
    slice = {
      ...newSlice({
        id: ports.ids.next('slice'),
        accountId: ACCOUNT,
        name: 'web-1',
        region: 'fra1',
        diskBytes: 10 * BYTES_PER_GIB,
        now: NOW,
      }),
      hostId,
    };
    operation = newOperation({
      id: ports.ids.next('operation'),
      accountId: ACCOUNT,
      type: 'slice.create',
      resourceId: slice.id,
      now: NOW,
    });
    await ports.slices.create(slice);
    await ports.operations.create(operation);
    if (hostId) await ports.hostLoad.claim(hostId, slice.id);
    ports.clock.set(LATER);
  }

  beforeEach(() => setUp('fra1-a'));

  const input = (error: WorkflowError = UNREACHABLE) => ({
    accountId: ACCOUNT,
    sliceId: slice.id,
    operationId: operation.id,
    error,
  });

  it('puts the slice in error with a reason that names no host internals', async () => {
    const failure = await failSliceCreation(ports, input());

    expect(failure).toEqual({
      code: 'AGENT_UNREACHABLE',
      message: "the slice's host could not be reached",
    });
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'error',
      power: 'off',
      error: failure,
    });
    expect(JSON.stringify(failure)).not.toContain('10.0.0.7');
  });

  it("gives the slice's place on its host back", async () => {
    await failSliceCreation(ports, input());

    expect(ports.hostLoad.slicesOnHost('fra1-a')).toEqual([]);
  });

  it('fails the operation and emits Slice Creation Failed with the error', async () => {
    const failure = await failSliceCreation(ports, input());

    expect(await ports.operations.get(ACCOUNT, operation.id)).toMatchObject({
      status: 'failed',
      finishedAt: LATER,
      error: failure,
    });
    expect(ports.events.published).toEqual([
      {
        detailType: EVENT.sliceCreationFailed,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          sliceId: slice.id,
          operationId: operation.id,
          error: failure,
        }),
      },
    ]);
  });

  it('emits the event once when the step is retried', async () => {
    await failSliceCreation(ports, input());

    const again = await failSliceCreation(ports, input());

    expect(again.code).toBe('AGENT_UNREACHABLE');
    expect(ports.events.published).toHaveLength(1);
  });

  it('names agent errors and timeouts by their own codes', async () => {
    const codes: string[] = [];
    for (const error of ['DiskExists', 'States.HeartbeatTimeout', 'NoHostAvailableError']) {
      await setUp('fra1-a');
      codes.push((await failSliceCreation(ports, input({ Error: error, Cause: '' }))).code);
    }

    expect(codes).toEqual(['DISK_EXISTS', 'AGENT_TIMEOUT', 'NO_HOST_AVAILABLE']);
  });

  it('falls back to a generic reason for an error it does not know', async () => {
    const failure = await failSliceCreation(ports, input({ Error: 'States.Runtime', Cause: 'x' }));

    expect(failure.code).toBe('SLICE_BUILD_FAILED');
  });

  it('fails a slice that was never placed without touching any host load', async () => {
    await setUp(null);

    await failSliceCreation(ports, input({ Error: 'NoHostAvailableError', Cause: null }));

    expect((await ports.slices.get(ACCOUNT, slice.id))?.status).toBe('error');
  });
});
