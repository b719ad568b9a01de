import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { failSliceCreation } from '../../../../core/use-cases/fail-slice-creation.ts';
import type { WorkflowError } from '../../../../core/workflows/workflow-failure.ts';
import { ACCOUNT, givenPorts, FIVE_SECONDS_LATER as LATER } from './support/given-ports.ts';
import {
  expectEmittedOnceWhenRunTwice,
  expectFallbackReason,
  expectOperationFailed,
} from './support/outcomes.ts';
import { thenClockAt } from './support/set-ups.ts';
import { aSliceBeingBuilt } from './support/use-case-steps.ts';
import { AGENT_UNREACHABLE } from './support/workflow-errors.ts';

describe('failSliceCreation', () => {
  const given = givenPorts(thenClockAt(LATER, aSliceBeingBuilt));

  const input = (error: WorkflowError = AGENT_UNREACHABLE) => ({ ...given.step, error });

  it('puts the slice in error with a reason that names no host internals', async () => {
    const { ports, slice } = given;
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
    const { ports } = given;
    await failSliceCreation(ports, input());

    expect(ports.hostLoad.slicesOnHost('fra1-a')).toEqual([]);
  });

  it('fails the operation and emits Slice Creation Failed with the error', async () => {
    const { ports, slice, operation } = given;
    const failure = await failSliceCreation(ports, input());

    await expectOperationFailed(ports, operation.id, failure, LATER);
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
    const { ports } = given;

    const { again } = await expectEmittedOnceWhenRunTwice(ports, EVENT.sliceCreationFailed, () =>
      failSliceCreation(ports, input()),
    );

    expect(again.code).toBe('AGENT_UNREACHABLE');
  });

  it('names agent errors and timeouts by their own codes', async () => {
    const { ports } = given;
    const codes: string[] = [];
    for (const error of ['DiskExists', 'States.HeartbeatTimeout', 'NoHostAvailableError']) {
      const { step } = await aSliceBeingBuilt(ports);
      codes.push(
        (await failSliceCreation(ports, { ...step, error: { Error: error, Cause: '' } })).code,
      );
    }

    expect(codes).toEqual(['DISK_EXISTS', 'AGENT_TIMEOUT', 'NO_HOST_AVAILABLE']);
  });

  it('falls back to a generic reason for an error it does not know', async () => {
    const { ports, step } = given;

    await expectFallbackReason(ports, step, (stepInput) => failSliceCreation(ports, stepInput), {
      code: 'SLICE_BUILD_FAILED',
      message: expect.any(String),
    });
  });

  it('fails a slice that was never placed without touching any host load', async () => {
    const { ports } = given;
    const { slice, step } = await aSliceBeingBuilt(ports, null);

    await failSliceCreation(ports, {
      ...step,
      error: { Error: 'NoHostAvailableError', Cause: null },
    });

    expect((await ports.slices.get(ACCOUNT, slice.id))?.status).toBe('error');
  });
});
