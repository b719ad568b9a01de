import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { unlockSlice } from '../../../../core/slices/slice.ts';
import {
  completeCommittedRestore,
  completeRestore,
} from '../../../../core/use-cases/complete-restore.ts';
import { recordingSliceWrites } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts, TWENTY_MINUTES_LATER as LATER } from './support/given-ports.ts';
import {
  eventsOf,
  expectEmittedOnceOnRetry,
  expectEmittedOnceWhenRunTwice,
  expectOperationSucceeded,
} from './support/outcomes.ts';
import { aPowerChange, aRequestedRestore, aSliceWithASnapshot } from './support/use-case-steps.ts';

const given = givenPorts(async (ports) => {
  const { slice, snapshot } = await aSliceWithASnapshot(ports, { usedBytes: 3 * BYTES_PER_GIB });
  // The disk grew after the snapshot: the restore puts the image's used bytes back.
  const grown = await ports.slices.get(ACCOUNT, slice.id);
  if (!grown) throw new Error('no slice');
  await ports.slices.update(grown, { ...grown, usedBytes: 8 * BYTES_PER_GIB });
  const step = await aRequestedRestore(ports, snapshot);
  ports.clock.set(LATER);
  return { slice, snapshot, step };
});

const committed = () => ({ ...given.step, usedBytes: given.snapshot.sizeBytes });

describe('completeRestore', () => {
  it("records the image's used bytes and gives the lock back in one write", async () => {
    const { ports, step } = given;
    const { slices, writes } = recordingSliceWrites(ports);

    await completeRestore({ ...ports, slices }, committed());

    expect(writes).toEqual(['update']);
    expect(await ports.slices.get(ACCOUNT, step.sliceId)).toMatchObject({
      status: 'active',
      lock: null,
      usedBytes: 3 * BYTES_PER_GIB,
      updatedAt: LATER,
    });
  });

  it('releases the snapshot and succeeds the operation', async () => {
    const { ports, snapshot, step } = given;
    await completeRestore(ports, committed());

    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    await expectOperationSucceeded(ports, step.operationId, LATER);
  });

  it('emits Slice Restored once when the step runs twice', async () => {
    const { ports, snapshot, step } = given;

    const { emitted } = await expectEmittedOnceWhenRunTwice(ports, EVENT.sliceRestored, () =>
      completeRestore(ports, committed()),
    );

    expect(emitted).toEqual([
      {
        detailType: EVENT.sliceRestored,
        detail: {
          accountId: ACCOUNT,
          sliceId: step.sliceId,
          snapshotId: snapshot.id,
          operationId: step.operationId,
        },
      },
    ]);
  });

  it('leaves the slice alone once another operation took it after the commit', async () => {
    const { ports, slice, step } = given;
    await completeRestore(ports, committed());
    const power = await aPowerChange(ports, slice, 'off');

    await completeRestore(ports, { ...committed(), usedBytes: 1 });

    expect(await ports.slices.get(ACCOUNT, step.sliceId)).toMatchObject({
      status: 'busy',
      lock: { operationId: power.operationId },
      usedBytes: 3 * BYTES_PER_GIB,
    });
  });

  it('emits Slice Restored once, on a retry after the write that carries it failed', async () => {
    const { ports, step } = given;
    await expectEmittedOnceOnRetry(ports, EVENT.sliceRestored, step.operationId, (deps) =>
      completeRestore(deps, committed()),
    );
  });
});

describe('completeCommittedRestore', () => {
  it('completes a restore whose commit was written: the reader released, the operation succeeded', async () => {
    const { ports, snapshot, step } = given;
    const stored = await ports.slices.get(ACCOUNT, step.sliceId);
    if (!stored) throw new Error('no slice');
    await ports.slices.update(stored, unlockSlice(stored, step.operationId, LATER));

    await completeCommittedRestore(ports, step);

    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('succeeded');
    expect(eventsOf(ports, EVENT.sliceRestored)).toHaveLength(1);
  });
});
