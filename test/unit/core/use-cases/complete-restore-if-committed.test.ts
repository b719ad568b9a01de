import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { completeRestore } from '../../../../core/use-cases/complete-restore.ts';
import { completeRestoreIfCommitted } from '../../../../core/use-cases/complete-restore-if-committed.ts';
import { snapshotUpdatesDown } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts, TWENTY_MINUTES_LATER as LATER } from './support/given-ports.ts';
import { eventsOf, expectOperationSucceeded } from './support/outcomes.ts';
import { thenClockAt } from './support/set-ups.ts';
import { aRestoreUnderWay } from './support/use-case-steps.ts';

describe('completeRestoreIfCommitted', () => {
  const given = givenPorts(thenClockAt(LATER, aRestoreUnderWay));

  it('answers not committed while the restore still holds the lock, and changes nothing', async () => {
    const { ports, snapshot, step } = given;
    const outcome = await completeRestoreIfCommitted(ports, step);

    expect(outcome).toEqual({ committed: false });
    expect(await ports.slices.get(ACCOUNT, step.sliceId)).toMatchObject({
      status: 'busy',
      lock: { operationId: step.operationId },
    });
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toHaveLength(1);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('running');
    expect(eventsOf(ports, EVENT.sliceRestored)).toEqual([]);
  });

  it('completes a restore whose commit went through before the step failed', async () => {
    const { ports, snapshot, step } = given;
    const failing = { ...ports, snapshots: snapshotUpdatesDown(ports) };
    await expect(
      completeRestore(failing, { ...step, usedBytes: 2 * BYTES_PER_GIB }),
    ).rejects.toThrow('DynamoDB is down');

    const outcome = await completeRestoreIfCommitted(ports, step);

    expect(outcome).toEqual({ committed: true });
    expect(await ports.slices.get(ACCOUNT, step.sliceId)).toMatchObject({
      status: 'active',
      lock: null,
      usedBytes: 2 * BYTES_PER_GIB,
    });
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    await expectOperationSucceeded(ports, step.operationId, LATER);
    expect(eventsOf(ports, EVENT.sliceRestored)).toHaveLength(1);
  });

  it('emits nothing more for a restore that was completed already', async () => {
    const { ports, step } = given;
    await completeRestore(ports, { ...step, usedBytes: 2 * BYTES_PER_GIB });

    const outcome = await completeRestoreIfCommitted(ports, step);

    expect(outcome).toEqual({ committed: true });
    expect(eventsOf(ports, EVENT.sliceRestored)).toHaveLength(1);
  });
});
