import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { confirmSliceLockForSnapshot } from '../../../../core/use-cases/confirm-slice-lock-for-snapshot.ts';
import { markSnapshotCaptured } from '../../../../core/use-cases/mark-snapshot-captured.ts';
import { ACCOUNT, givenPorts, NOW as LOCKED } from './support/given-ports.ts';
import { anActiveSlice, aRequestedSnapshot } from './support/use-case-steps.ts';

const BACK_ON = '2025-03-01T10:00:07.500Z';

describe('markSnapshotCaptured', () => {
  const given = givenPorts(() => ({}), { now: LOCKED });

  /**
   * A snapshot locked at LOCKED, powering its slice off first if `powerOff`, and the capture step's
   * input once the disk is read at BACK_ON.
   */
  async function capturing(powerOff: boolean) {
    const slice = await anActiveSlice(given.ports);
    const step = await aRequestedSnapshot(given.ports, slice, powerOff);
    const lock = await confirmSliceLockForSnapshot(given.ports, step);
    given.ports.clock.set(BACK_ON);
    const input = {
      ...step,
      capturePower: powerOff ? ('off' as const) : ('on' as const),
      poweredOff: powerOff,
      lockedAt: lock.lockedAt,
    };
    return { step, input };
  }

  it('records a powered-off capture and the downtime from the lock to now', async () => {
    const { ports } = given;
    const { step, input } = await capturing(true);

    const snapshot = await markSnapshotCaptured(ports, input);

    expect(snapshot).toMatchObject({
      status: 'uploading',
      consistency: 'powered-off',
      downtimeSeconds: 7.5,
      capturedAt: BACK_ON,
    });
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toEqual(snapshot);
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      progress: { startedAt: BACK_ON },
    });
    expect(ports.events.published.at(-1)).toEqual({
      detailType: EVENT.snapshotCaptured,
      detail: expect.objectContaining({
        snapshotId: step.snapshotId,
        operationId: step.operationId,
        consistency: 'powered-off',
        downtimeSeconds: 7.5,
      }),
    });
  });

  it('records a capture of the running slice as crash-consistent, with no downtime', async () => {
    const { ports } = given;
    const { input } = await capturing(false);

    const snapshot = await markSnapshotCaptured(ports, input);

    expect(snapshot).toMatchObject({ consistency: 'crash-consistent', downtimeSeconds: 0 });
  });

  it('records how the capture was made: the shutdown, a frozen guest, changed-block tracking', async () => {
    const { ports } = given;
    const powered = await capturing(true);
    const running = await capturing(false);

    const forced = await markSnapshotCaptured(ports, { ...powered.input, shutdown: 'forced' });
    const frozen = await markSnapshotCaptured(ports, {
      ...running.input,
      frozen: true,
      changedBlockTracking: true,
    });

    expect(forced).toMatchObject({
      consistency: 'powered-off',
      captureInfo: { shutdown: 'forced', changedBlockTracking: false, chunksRead: null },
    });
    expect(frozen).toMatchObject({
      consistency: 'fs-frozen',
      downtimeSeconds: 0,
      captureInfo: { shutdown: 'none', changedBlockTracking: true, chunksRead: null },
    });
  });

  it('emits Snapshot Captured once however often the step runs', async () => {
    const { ports } = given;
    const { input } = await capturing(true);

    await markSnapshotCaptured(ports, input);
    ports.clock.advanceSeconds(5);
    const again = await markSnapshotCaptured(ports, input);

    expect(again.downtimeSeconds).toBe(7.5);
    expect(
      ports.events.published.filter((event) => event.detailType === EVENT.snapshotCaptured),
    ).toHaveLength(1);
  });
});
