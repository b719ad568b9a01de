import { describe, expect, it } from 'vitest';
import { failSliceOperation } from '../../../../core/use-cases/fail-slice-operation.ts';
import { expectSliceFree } from './support/expectations.ts';
import { givenPorts, A_MINUTE_LATER as LATER } from './support/given-ports.ts';
import { expectFallbackReason, expectOperationFailed } from './support/outcomes.ts';
import { anActiveSlice, aPowerChange, aSliceDeletion } from './support/use-case-steps.ts';
import { AGENT_UNREACHABLE } from './support/workflow-errors.ts';

describe('failSliceOperation', () => {
  const given = givenPorts(async (ports) => {
    const slice = await anActiveSlice(ports, { power: 'on' });
    const step = await aPowerChange(ports, slice, 'off');
    ports.clock.set(LATER);
    return { slice, step };
  });

  it('gives the lock back and fails the operation with a reason users can read', async () => {
    const { ports, slice, step } = given;
    const failure = await failSliceOperation(ports, { ...step, error: AGENT_UNREACHABLE });

    expect(failure).toEqual({
      code: 'AGENT_UNREACHABLE',
      message: "the slice's host could not be reached",
    });
    await expectSliceFree(ports, slice.id, 'on');
    await expectOperationFailed(ports, step.operationId, failure, LATER);
  });

  it('emits nothing', async () => {
    const { ports, step } = given;
    await failSliceOperation(ports, { ...step, error: AGENT_UNREACHABLE });

    expect(ports.events.published).toEqual([]);
  });

  it('falls back to a generic reason for an error it does not know', async () => {
    const { ports, step } = given;

    await expectFallbackReason(ports, step, (input) => failSliceOperation(ports, input), {
      code: 'SLICE_OPERATION_FAILED',
      message: 'the operation on the slice failed; the slice is as it was',
    });
  });

  it('keeps the first failure when the step runs twice', async () => {
    const { ports, step } = given;
    await failSliceOperation(ports, { ...step, error: AGENT_UNREACHABLE });

    await failSliceOperation(ports, { ...step, error: { Error: 'PowerTimeout' } });

    await expectOperationFailed(ports, step.operationId, { code: 'AGENT_UNREACHABLE' });
  });

  it('fails a slice deletion the same way, the slice kept', async () => {
    const { ports, slice, step } = given;
    await failSliceOperation(ports, { ...step, error: AGENT_UNREACHABLE });
    const deletion = await aSliceDeletion(ports, slice);

    await failSliceOperation(ports, { ...deletion, error: { Error: 'DiskNotFound' } });

    await expectSliceFree(ports, slice.id);
    await expectOperationFailed(ports, deletion.operationId, { code: 'DISK_NOT_FOUND' });
  });
});
