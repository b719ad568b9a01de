import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { failRestore } from '../../../../core/use-cases/fail-restore.ts';
import { expectSliceFree } from './support/expectations.ts';
import { ACCOUNT, givenPorts, TWENTY_MINUTES_LATER as LATER } from './support/given-ports.ts';
import {
  eventsOf,
  expectEmittedOnceWhenRunTwice,
  expectFallbackReason,
  expectOperationFailed,
} from './support/outcomes.ts';
import { thenClockAt } from './support/set-ups.ts';
import { aPowerChange, aRestoreUnderWay } from './support/use-case-steps.ts';
import { AGENT_UNREACHABLE } from './support/workflow-errors.ts';

describe('failRestore', () => {
  const given = givenPorts(
    thenClockAt(LATER, (ports) => aRestoreUnderWay(ports, { power: 'off' })),
  );

  it('releases the snapshot and the slice and fails the operation with a reason users can read', async () => {
    const { ports, slice, snapshot, step } = given;
    const failure = await failRestore(ports, { ...step, error: AGENT_UNREACHABLE });

    expect(failure).toEqual({
      code: 'AGENT_UNREACHABLE',
      message: "the slice's host could not be reached",
    });
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    await expectSliceFree(ports, slice.id, 'off');
    await expectOperationFailed(ports, step.operationId, failure, LATER);
    expect(JSON.stringify(failure)).not.toContain('10.0.0.7');
  });

  it('emits Slice Restore Failed with the ids and the error', async () => {
    const { ports, slice, snapshot, step } = given;
    const failure = await failRestore(ports, { ...step, error: AGENT_UNREACHABLE });

    expect(eventsOf(ports, EVENT.sliceRestoreFailed)).toEqual([
      {
        detailType: EVENT.sliceRestoreFailed,
        detail: {
          accountId: ACCOUNT,
          sliceId: slice.id,
          snapshotId: snapshot.id,
          operationId: step.operationId,
          error: failure,
        },
      },
    ]);
  });

  it('says the previous disk could not be put back when the rollback failed too', async () => {
    const { ports, step } = given;
    const failure = await failRestore(ports, {
      ...step,
      error: AGENT_UNREACHABLE,
      rollBackError: { Error: 'AgentError', Cause: 'rollback rb-1 not found' },
    });

    expect(failure.code).toBe('RESTORE_NOT_ROLLED_BACK');
    await expectOperationFailed(ports, step.operationId, { code: 'RESTORE_NOT_ROLLED_BACK' });
  });

  it('falls back to a generic reason for an error it does not know', async () => {
    const { ports, step } = given;

    await expectFallbackReason(ports, step, (input) => failRestore(ports, input), {
      code: 'RESTORE_FAILED',
      message: 'the slice could not be restored; its disk is as it was',
    });
  });

  it('emits Slice Restore Failed once when the step runs twice', async () => {
    const { ports, step } = given;

    await expectEmittedOnceWhenRunTwice(ports, EVENT.sliceRestoreFailed, () =>
      failRestore(ports, { ...step, error: AGENT_UNREACHABLE }),
    );
  });

  it('leaves a lock that another operation took since', async () => {
    const { ports, slice, step } = given;
    await failRestore(ports, { ...step, error: AGENT_UNREACHABLE });
    const power = await aPowerChange(ports, slice, 'on');

    await failRestore(ports, { ...step, error: AGENT_UNREACHABLE });

    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'busy',
      lock: { operationId: power.operationId },
    });
  });
});
