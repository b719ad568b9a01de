import { describe, expect, it } from 'vitest';
import { SliceBusyError } from '../../../../core/slices/slice-errors.ts';
import { markSnapshotFailed } from '../../../../core/snapshots/snapshot.ts';
import { IllegalSnapshotTransitionError } from '../../../../core/snapshots/snapshot-errors.ts';
import {
  confirmSliceLockForSnapshot,
  type SnapshotStepInput,
} from '../../../../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { registerSnapshot } from '../../../../core/use-cases/register-snapshot.ts';
import { ACCOUNT, givenPorts, HOST, NOW } from './support/given-ports.ts';
import {
  anActiveSlice,
  anUploadingSnapshot,
  aRequestedSnapshot,
  lockReleasedBy,
  lockTakenByAnother,
  uploadSnapshot,
} from './support/use-case-steps.ts';

describe('confirmSliceLockForSnapshot', () => {
  const given = givenPorts(async (ports) => {
    const slice = await anActiveSlice(ports);
    return { slice, step: await aRequestedSnapshot(ports, slice) };
  });

  /** Fails the requested snapshot of `step`, as its workflow would. */
  async function failTheSnapshot(step: SnapshotStepInput): Promise<void> {
    const pending = await given.ports.snapshots.get(ACCOUNT, step.snapshotId);
    if (!pending) throw new Error('no snapshot');
    const failed = markSnapshotFailed(pending, { code: 'SNAPSHOT_FAILED', message: 'x' }, NOW);
    await given.ports.snapshots.update(pending, failed);
  }

  it('confirms the lock and starts the capture', async () => {
    const { ports, step } = given;

    const lock = await confirmSliceLockForSnapshot(ports, step);

    expect(lock).toEqual({
      hostId: HOST,
      power: 'on',
      powerOffFirst: true,
      baseSnapshotIds: [],
      lockedAt: NOW,
    });
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toMatchObject({
      status: 'capturing',
    });
  });

  it.each([
    { power: 'on' as const, powerOff: true, powerOffFirst: true },
    { power: 'on' as const, powerOff: false, powerOffFirst: false },
    { power: 'off' as const, powerOff: true, powerOffFirst: false },
    { power: 'off' as const, powerOff: false, powerOffFirst: false },
  ])(
    'powers off first only when asked and running (power $power, powerOff $powerOff)',
    async ({ power, powerOff, powerOffFirst }) => {
      const { ports } = given;
      const slice = await anActiveSlice(ports, { power });
      const step = await aRequestedSnapshot(ports, slice, powerOff);

      const lock = await confirmSliceLockForSnapshot(ports, step);

      expect(lock).toMatchObject({ power, powerOffFirst });
    },
  );

  it("builds on the slice's latest available snapshot and the one it was made from", async () => {
    const { ports } = given;
    const source = await anActiveSlice(ports);
    const { step: sourceStep } = await anUploadingSnapshot(ports, source);
    await uploadSnapshot(ports, sourceStep, { diskBytes: 1, usedBytes: 1 }, ['a']);
    const slice = await anActiveSlice(ports, { fromSnapshotId: sourceStep.snapshotId });
    const { step: earlier } = await anUploadingSnapshot(ports, slice);
    ports.images.in('fra1').putImage(ACCOUNT, earlier.snapshotId, {
      diskBytes: 1,
      usedBytes: 1,
      chunkHashes: ['a'],
    });
    await registerSnapshot(ports, earlier);
    const failedOne = await aRequestedSnapshot(ports, slice);
    await failTheSnapshot(failedOne);
    await lockReleasedBy(ports, slice.id, failedOne.operationId);
    const step = await aRequestedSnapshot(ports, slice);

    const lock = await confirmSliceLockForSnapshot(ports, step);

    expect(lock.baseSnapshotIds).toEqual([earlier.snapshotId, sourceStep.snapshotId]);
  });

  it('repeats nothing when the step is retried', async () => {
    const { ports, step } = given;
    const first = await confirmSliceLockForSnapshot(ports, step);

    const again = await confirmSliceLockForSnapshot(ports, step);

    expect(again).toEqual(first);
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toMatchObject({
      status: 'capturing',
    });
  });

  it('refuses a snapshot that failed already', async () => {
    const { ports, step } = given;
    await failTheSnapshot(step);

    await expect(confirmSliceLockForSnapshot(ports, step)).rejects.toBeInstanceOf(
      IllegalSnapshotTransitionError,
    );
  });

  it('fails when another operation holds the slice', async () => {
    const { ports, slice, step } = given;
    await lockTakenByAnother(ports, slice.id, step.operationId, NOW);

    await expect(confirmSliceLockForSnapshot(ports, step)).rejects.toBeInstanceOf(SliceBusyError);
  });
});
