import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Accepted, FaultCloud, type OperationView, until } from './support/fault-cloud.ts';
import {
  imagesAndBillingAgree,
  operationEnds,
  sameDisk,
  sliceIntact,
  sliceSettled,
} from './support/invariants.ts';

/** An operation held in a step, and what it must look like once it has ended. */
interface Held {
  /** What the figures call it; the step's name unless two held operations share that step. */
  readonly label?: string;
  /** The state its execution is held in. */
  readonly step: string;
  readonly operationId: string;
  check(ended: OperationView): Promise<void>;
}

/** The error the gates make a step's Lambda throw: no Retry names it, so its Catch runs. */
const INJECTED = 'InjectedFault';
/** Each group prepares its slices, holds, kills, restarts and checks: slower than one step. */
const GROUP_TIMEOUT_MS = 240_000;

/**
 * The steps no data movement or power change holds: each workflow's Lambda steps (locks, marks,
 * registrations, completions, failures and clean-up) and the host steps left (a blank slice's
 * CreateDisk and PowerOnSlice, a slice from a snapshot's PowerOnSlice, a snapshot's
 * RestorePowerState). Gates on the handlers of `npm start` (support/step-gates.ts) hold each
 * operation in its step: before its Lambda runs, or after it has done its work but before the
 * workflow hears of it. Each group holds several operations at once, each on slices of its own,
 * then kills the whole local cloud (SIGKILL) and starts it again: every execution goes on from the
 * step it was in, and each operation ends as its workflow would have ended it without the kill,
 * its slice free and in its power state, its disk what it should be; every chunk a manifest names
 * is stored, no failed or deleted snapshot keeps a manifest, and billing agrees. A held Lambda step
 * must be killed within its 30 s timeout, so a group starts its operations together.
 */
describe('workflows held in their Lambda steps and last host steps, then killed', () => {
  const cloud = FaultCloud.forSuite();
  /** Snapshots deleted after being available: billed until then. */
  const deletedSnapshots: string[] = [];

  /** A snapshot taken and waited for: available. */
  async function availableSnapshot(sliceId: string, name: string): Promise<string> {
    const snapshotId = await cloud.snapshotTaken(sliceId, name);
    expect((await cloud.snapshot(snapshotId)).status).toBe('available');
    return snapshotId;
  }

  function operationSucceeded(accepted: Accepted) {
    return until(
      `operation ${accepted.operation.id}`,
      () => cloud.operation(accepted.operation.id),
      (o) => o.status === 'succeeded',
    );
  }

  /** The operation ended as expected, its slice free in `power`, its disk `disk` byte for byte. */
  function endsWith(
    status: 'succeeded' | 'failed',
    sliceId: string,
    powerState: 'on' | 'off',
    disk: string,
    more: () => Promise<void> = async () => {},
  ) {
    return async (ended: OperationView) => {
      expect({ status: ended.status, error: ended.error }, JSON.stringify(ended)).toMatchObject({
        status,
      });
      await sliceIntact(cloud, sliceId, powerState, disk);
      await more();
    };
  }

  /** A slice created while held: active and on, its disk there (and equal to `disk`, if given). */
  function madeSlice(sliceId: string, disk?: string) {
    return async (ended: OperationView) => {
      expect(ended.status).toBe('succeeded');
      expect((await cloud.slice(sliceId)).status).toBe('active');
      await sliceSettled(cloud, sliceId, 'on');
      expect(existsSync(cloud.diskPath(sliceId))).toBe(true);
      if (disk !== undefined) sameDisk(cloud.diskPath(sliceId), disk);
    };
  }

  /** The operation `accepted` started, held in `step`, and what it must look like once ended. */
  function heldIn(step: string, accepted: Accepted, check: Held['check'], label?: string): Held {
    return { step, operationId: accepted.operation.id, check, ...(label ? { label } : {}) };
  }

  /** Kills the cloud with every held operation in its step, starts it again, checks each one. */
  async function killAndCheck(group: string, held: readonly Held[]): Promise<void> {
    // A step held past its 30 s timeout would have failed on its own: then this proves nothing.
    const where = await Promise.all(held.map(({ operationId }) => cloud.currentStep(operationId)));
    expect(where).toEqual(held.map(({ step }) => ({ status: 'RUNNING', state: step })));
    await cloud.kill();
    const since = performance.now();
    await cloud.restart();
    for (const operation of held) {
      const label = `${group}: ${operation.label ?? operation.step}`;
      const ended = await operationEnds(cloud, operation.operationId, label, since);
      await operation.check(ended);
    }
    await imagesAndBillingAgree(cloud, deletedSnapshots);
  }

  it('finishes snapshots and new slices killed in ConfirmSliceLock, MarkCaptured, RegisterSnapshot, PlaceSlice, CompleteSliceBuild', {
    timeout: GROUP_TIMEOUT_MS,
  }, async () => {
    const [locked, captured, registered] = await Promise.all([
      cloud.activeSlice('held-lock', 4),
      cloud.activeSlice('held-mark', 4),
      cloud.activeSlice('held-register', 4),
    ]);
    const disks = [locked, captured, registered].map((slice) => cloud.copyDisk(slice.id));
    cloud.gates.hold({
      function: 'workflow-confirm-slice-lock-for-snapshot',
      when: { sliceId: locked.id },
    });
    cloud.gates.holdAfter({
      function: 'workflow-mark-snapshot-captured',
      when: { sliceId: captured.id },
    });
    cloud.gates.holdAfter({
      function: 'workflow-register-snapshot',
      when: { sliceId: registered.id },
    });
    cloud.gates.holdAfter({ function: 'workflow-complete-slice-build' });
    // PlaceSlice's gate, for every new slice, once the first one has passed it.
    const built = await cloud.createSlice('built-unheard');
    await cloud.waitForStep(built.operation.id, 'CreateDisk');
    cloud.gates.hold({ function: 'workflow-place-slice' });
    const [placed, atLock, atMark, atRegister] = await Promise.all([
      cloud.createSlice('held-at-place'),
      cloud.takeSnapshot(locked.id, 'held-at-lock'),
      cloud.takeSnapshot(captured.id, 'captured-unheard'),
      cloud.takeSnapshot(registered.id, 'registered-unheard'),
    ]);
    await Promise.all([
      until(
        'built',
        () => cloud.slice(built.slice.id),
        (s) => s.status === 'active',
      ),
      cloud.waitForStep(placed.operation.id, 'PlaceSlice'),
      cloud.waitForStep(atLock.operation.id, 'ConfirmSliceLock'),
      until(
        'captured',
        () => cloud.snapshot(atMark.snapshot.id),
        (s) => s.status === 'uploading',
      ),
      until(
        'registered',
        () => cloud.snapshot(atRegister.snapshot.id),
        (s) => s.status === 'available',
      ),
    ]);
    const snapshotDone = (sliceId: string, snapshotId: string, disk: string) =>
      endsWith('succeeded', sliceId, 'on', disk, async () => {
        expect((await cloud.snapshot(snapshotId)).status).toBe('available');
      });

    await killAndCheck('snapshot and new slice', [
      heldIn(
        'ConfirmSliceLock',
        atLock,
        snapshotDone(locked.id, atLock.snapshot.id, disks[0] ?? ''),
      ),
      heldIn(
        'MarkCaptured',
        atMark,
        snapshotDone(captured.id, atMark.snapshot.id, disks[1] ?? ''),
        'MarkCaptured (done, unheard)',
      ),
      heldIn(
        'RegisterSnapshot',
        atRegister,
        snapshotDone(registered.id, atRegister.snapshot.id, disks[2] ?? ''),
        'RegisterSnapshot (done, unheard)',
      ),
      heldIn(
        'CompleteSliceBuild',
        built,
        madeSlice(built.slice.id),
        'CompleteSliceBuild (done, unheard)',
      ),
      heldIn('PlaceSlice', placed, madeSlice(placed.slice.id)),
    ]);
  });

  it('finishes power, restore and deletions killed in ConfirmSliceLock and their Complete steps', {
    timeout: GROUP_TIMEOUT_MS,
  }, async () => {
    const [powered, restored, deleted, started] = await Promise.all([
      cloud.activeSlice('held-power', 4),
      cloud.activeSlice('held-restore', 4),
      cloud.activeSlice('held-delete', 4),
      cloud.activeSlice('held-confirm', 4),
    ]);
    const image = cloud.copyDisk(restored.id);
    const [restorable, deletable] = await Promise.all([
      availableSnapshot(restored.id, 'restorable'),
      availableSnapshot(deleted.id, 'deletable'),
      operationSucceeded(await cloud.power(started.id, 'off')),
    ]);
    // A snapshot is billed from its first whole second: deleted sooner, it would have no line.
    await until(
      'the deletable snapshot billed',
      () => cloud.ok<{ lines: Array<{ snapshotId: string }> }>('GET', '/v1/billing/charges'),
      (charges) => charges.lines.some((line) => line.snapshotId === deletable),
    );
    cloud.writeData(restored.id, 1, 2);
    const [offDisk, poweredDisk] = [cloud.copyDisk(started.id), cloud.copyDisk(powered.id)];
    cloud.gates.holdAfter({
      function: 'workflow-complete-restore',
      when: { sliceId: restored.id },
    });
    cloud.gates.holdAfter({
      function: 'workflow-complete-snapshot-deletion',
      when: { snapshotId: deletable },
    });
    cloud.gates.hold({ function: 'workflow-complete-power-change', when: { sliceId: powered.id } });
    cloud.gates.hold({
      function: 'workflow-complete-slice-deletion',
      when: { sliceId: deleted.id },
    });
    cloud.gates.hold({ function: 'workflow-confirm-slice-lock', when: { sliceId: started.id } });

    const [restoring, deleting, poweringOff, removing, poweringOn] = await Promise.all([
      cloud.restore(restorable),
      cloud.purgeSnapshot(deletable),
      cloud.power(powered.id, 'off'),
      cloud.deleteSlice(deleted.id),
      cloud.power(started.id, 'on'),
    ]);
    await Promise.all([
      operationSucceeded(restoring),
      until(
        'deleted',
        () => cloud.snapshot(deletable),
        (s) => s.status === 'deleted',
      ),
      cloud.waitForStep(poweringOff.operation.id, 'CompletePowerChange'),
      cloud.waitForStep(removing.operation.id, 'CompleteSliceDeletion'),
      cloud.waitForStep(poweringOn.operation.id, 'ConfirmSliceLock'),
    ]);
    // The deleted snapshot is billed until its deletion was asked for.
    deletedSnapshots.push(deletable);

    await killAndCheck('power, restore, deletions', [
      heldIn(
        'CompleteRestore',
        restoring,
        endsWith('succeeded', restored.id, 'on', image),
        'CompleteRestore (done, unheard)',
      ),
      heldIn(
        'CompleteSnapshotDeletion',
        deleting,
        async (ended) => {
          expect(ended.status).toBe('succeeded');
          expect((await cloud.snapshot(deletable)).status).toBe('deleted');
        },
        'CompleteSnapshotDeletion (done, unheard)',
      ),
      heldIn(
        'CompletePowerChange',
        poweringOff,
        endsWith('succeeded', powered.id, 'off', poweredDisk),
      ),
      heldIn('CompleteSliceDeletion', removing, async (ended) => {
        expect(ended.status).toBe('succeeded');
        expect((await cloud.slice(deleted.id)).status).toBe('deleted');
        expect(existsSync(cloud.diskPath(deleted.id))).toBe(false);
      }),
      heldIn(
        'ConfirmSliceLock',
        poweringOn,
        endsWith('succeeded', started.id, 'on', offDisk),
        'ConfirmSliceLock of a power-on',
      ),
    ]);
  });

  it('fails what failed before the kill from its Fail and clean-up steps, compensated', {
    timeout: GROUP_TIMEOUT_MS,
  }, async () => {
    const [cleaned, unsnapped, restored, powered, kept] = await Promise.all([
      cloud.activeSlice('failed-clean-up', 4),
      cloud.activeSlice('failed-snapshot', 4),
      cloud.activeSlice('failed-restore', 4),
      cloud.activeSlice('failed-power', 4),
      cloud.activeSlice('failed-delete', 4),
    ]);
    const restorable = await availableSnapshot(restored.id, 'restorable-later');
    cloud.writeData(restored.id, 1, 2);
    const disks = [cleaned, unsnapped, restored, powered, kept].map((slice) =>
      cloud.copyDisk(slice.id),
    );
    const dispatchOf = (sliceId: string, type: string) => ({
      function: 'dispatch-agent-command',
      when: { sliceId, 'command.type': type },
    });
    // A step fails, its compensation runs, and the workflow is held in its last steps.
    for (const slice of [cleaned, unsnapped]) {
      cloud.gates.failNext(
        { function: 'workflow-mark-snapshot-captured', when: { sliceId: slice.id } },
        INJECTED,
      );
    }
    cloud.gates.hold({
      function: 'workflow-clean-up-failed-upload',
      when: { sliceId: cleaned.id },
    });
    cloud.gates.hold({
      function: 'workflow-fail-snapshot-creation',
      when: { sliceId: unsnapped.id },
    });
    cloud.gates.failNext(dispatchOf(restored.id, 'write-image'), INJECTED);
    cloud.gates.hold({ function: 'workflow-fail-restore', when: { sliceId: restored.id } });
    cloud.gates.failNext(dispatchOf(powered.id, 'power-off'), INJECTED);
    cloud.gates.failNext(dispatchOf(kept.id, 'power-off'), INJECTED);
    cloud.gates.hold({ function: 'workflow-fail-slice-operation' });
    cloud.gates.failNext(
      { function: 'dispatch-agent-command', when: { 'command.type': 'create-disk' } },
      INJECTED,
    );
    cloud.gates.hold({ function: 'workflow-fail-slice-creation' });

    const [cleanUp, failing, restoring, poweringOff, removing, unmade] = await Promise.all([
      cloud.takeSnapshot(cleaned.id, 'failed-then-cleaned'),
      cloud.takeSnapshot(unsnapped.id, 'failed-unrecorded'),
      cloud.restore(restorable),
      cloud.power(powered.id, 'off'),
      cloud.deleteSlice(kept.id),
      cloud.createSlice('failed-creation'),
    ]);
    await Promise.all([
      cloud.waitForStep(cleanUp.operation.id, 'CleanUpUpload'),
      cloud.waitForStep(failing.operation.id, 'FailSnapshot'),
      cloud.waitForStep(restoring.operation.id, 'FailRestore'),
      cloud.waitForStep(poweringOff.operation.id, 'FailPowerChange'),
      cloud.waitForStep(removing.operation.id, 'FailSliceDeletion'),
      cloud.waitForStep(unmade.operation.id, 'FailSliceCreation'),
    ]);
    const snapshotFailed = (id: string) => async () => {
      expect((await cloud.snapshot(id)).status).toBe('failed');
    };

    await killAndCheck('failures', [
      heldIn(
        'CleanUpUpload',
        cleanUp,
        endsWith('failed', cleaned.id, 'on', disks[0] ?? '', snapshotFailed(cleanUp.snapshot.id)),
      ),
      heldIn(
        'FailSnapshot',
        failing,
        endsWith('failed', unsnapped.id, 'on', disks[1] ?? '', snapshotFailed(failing.snapshot.id)),
      ),
      heldIn('FailRestore', restoring, endsWith('failed', restored.id, 'on', disks[2] ?? '')),
      heldIn('FailPowerChange', poweringOff, endsWith('failed', powered.id, 'on', disks[3] ?? '')),
      heldIn(
        'FailSliceDeletion',
        removing,
        endsWith('failed', kept.id, 'on', disks[4] ?? '', async () => {
          expect((await cloud.slice(kept.id)).status).toBe('active');
        }),
      ),
      heldIn('FailSliceCreation', unmade, async (ended) => {
        expect(ended.status).toBe('failed');
        expect((await cloud.slice(unmade.slice.id)).status).toBe('error');
        expect(existsSync(cloud.diskPath(unmade.slice.id))).toBe(false);
      }),
    ]);
  });

  it('finishes a snapshot, new slices and a slice from a snapshot killed in their last host steps', {
    timeout: GROUP_TIMEOUT_MS,
  }, async () => {
    const source = await cloud.activeSlice('held-power-on', 4);
    const image = cloud.copyDisk(source.id);
    const sourceSnapshot = await availableSnapshot(source.id, 'source-of-new');
    // The agent never hears of a power-on: its dispatch waits. Then of no create-disk either.
    cloud.gates.hold({
      function: 'dispatch-agent-command',
      when: { 'command.type': 'power-on' },
    });
    const [snapshot, fromSnapshot, blank] = await Promise.all([
      cloud.takeSnapshot(source.id, 'held-at-restore-power'),
      cloud.createSlice('held-new-from-snapshot', sourceSnapshot),
      cloud.createSlice('held-new-blank'),
    ]);
    await cloud.waitForStep(blank.operation.id, 'PowerOnSlice');
    cloud.gates.hold({
      function: 'dispatch-agent-command',
      when: { 'command.type': 'create-disk' },
    });
    const unmade = await cloud.createSlice('held-at-create-disk');
    await Promise.all([
      cloud.waitForStep(snapshot.operation.id, 'RestorePowerState'),
      cloud.waitForStep(fromSnapshot.operation.id, 'PowerOnSlice'),
      cloud.waitForStep(unmade.operation.id, 'CreateDisk'),
    ]);

    await killAndCheck('host steps', [
      heldIn(
        'RestorePowerState',
        snapshot,
        endsWith('succeeded', source.id, 'on', image, async () => {
          expect((await cloud.snapshot(snapshot.snapshot.id)).status).toBe('available');
        }),
        'create-snapshot RestorePowerState',
      ),
      heldIn(
        'PowerOnSlice',
        fromSnapshot,
        madeSlice(fromSnapshot.slice.id, image),
        'create-from-snapshot PowerOnSlice',
      ),
      heldIn('PowerOnSlice', blank, madeSlice(blank.slice.id), 'create-slice PowerOnSlice'),
      heldIn('CreateDisk', unmade, madeSlice(unmade.slice.id), 'create-slice CreateDisk'),
    ]);
  });
});
