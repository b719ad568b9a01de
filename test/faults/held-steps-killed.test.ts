import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultCloud,
  type OperationView,
  type SliceView,
  type SnapshotView,
  until,
} from './support/fault-cloud.ts';
import {
  billingAgrees,
  imagesConsistent,
  operationEnds,
  sameDisk,
  sliceSettled,
} from './support/invariants.ts';

/** An operation held in a step, and what it must look like once it has ended. */
interface Held {
  readonly label: string;
  /** The state its execution is held in. */
  readonly step: string;
  readonly operationId: string;
  check(ended: OperationView): Promise<void>;
}

interface Accepted {
  readonly operation: OperationView;
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
 * is stored, no failed or deleted snapshot keeps a manifest, and billing agrees. A held Lambda step must be killed within its 30 s timeout, so
 * a group starts its operations together.
 */
describe('workflows held in their Lambda steps and last host steps, then killed', () => {
  let cloud: FaultCloud;
  /** Snapshots deleted after being available: billed until then. */
  const deletedSnapshots: string[] = [];

  beforeAll(async () => {
    cloud = await FaultCloud.start();
  });

  afterAll(async () => {
    process.stdout.write(
      `operation ended, seconds after npm start: ${JSON.stringify(cloud?.figures)}\n`,
    );
    await cloud?.stop();
  });

  function snapshotView(id: string): Promise<SnapshotView> {
    return cloud.ok<SnapshotView>('GET', `/v1/snapshots/${id}`);
  }

  function takeSnapshot(sliceId: string, name: string) {
    return cloud.ok<{ snapshot: SnapshotView; operation: OperationView }>(
      'POST',
      `/v1/slices/${sliceId}/snapshots`,
      { name },
    );
  }

  /** A snapshot taken and waited for: available. */
  async function availableSnapshot(sliceId: string, name: string): Promise<string> {
    const { snapshot, operation } = await takeSnapshot(sliceId, name);
    await until(
      `snapshot ${name}`,
      () => cloud.operation(operation.id),
      (o) => o.status !== 'running',
    );
    expect((await snapshotView(snapshot.id)).status).toBe('available');
    return snapshot.id;
  }

  function createSlice(name: string, snapshotId?: string) {
    return cloud.ok<{ slice: SliceView; operation: OperationView }>('POST', '/v1/slices', {
      name,
      region: 'fra1',
      diskGB: 1,
      ...(snapshotId === undefined ? {} : { snapshotId }),
    });
  }

  function power(sliceId: string, state: 'on' | 'off') {
    return cloud.ok<Accepted>('POST', `/v1/slices/${sliceId}/power`, { state });
  }

  function restore(snapshotId: string) {
    return cloud.ok<Accepted>('POST', `/v1/snapshots/${snapshotId}/restore`, { confirm: true });
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
      await sliceSettled(cloud, sliceId, powerState);
      sameDisk(cloud.diskPath(sliceId), disk);
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

  /** Kills the cloud with every held operation in its step, starts it again, checks each one. */
  async function killAndCheck(group: string, held: readonly Held[]): Promise<void> {
    // A step held past its 30 s timeout would have failed on its own: then this proves nothing.
    const where = await Promise.all(held.map(({ operationId }) => cloud.currentStep(operationId)));
    expect(where).toEqual(held.map(({ step }) => ({ status: 'RUNNING', state: step })));
    await cloud.kill();
    const since = performance.now();
    await cloud.restart();
    for (const operation of held) {
      const ended = await operationEnds(
        cloud,
        operation.operationId,
        `${group}: ${operation.label}`,
        since,
      );
      await operation.check(ended);
    }
    await imagesConsistent(cloud);
    await billingAgrees(cloud, deletedSnapshots);
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
    const built = await createSlice('built-unheard');
    await cloud.waitForStep(built.operation.id, 'CreateDisk');
    cloud.gates.hold({ function: 'workflow-place-slice' });
    const [placed, atLock, atMark, atRegister] = await Promise.all([
      createSlice('held-at-place'),
      takeSnapshot(locked.id, 'held-at-lock'),
      takeSnapshot(captured.id, 'captured-unheard'),
      takeSnapshot(registered.id, 'registered-unheard'),
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
        () => snapshotView(atMark.snapshot.id),
        (s) => s.status === 'uploading',
      ),
      until(
        'registered',
        () => snapshotView(atRegister.snapshot.id),
        (s) => s.status === 'available',
      ),
    ]);
    const snapshotDone = (sliceId: string, snapshotId: string, disk: string) =>
      endsWith('succeeded', sliceId, 'on', disk, async () => {
        expect((await snapshotView(snapshotId)).status).toBe('available');
      });

    await killAndCheck('snapshot and new slice', [
      {
        label: 'ConfirmSliceLock',
        step: 'ConfirmSliceLock',
        operationId: atLock.operation.id,
        check: snapshotDone(locked.id, atLock.snapshot.id, disks[0] ?? ''),
      },
      {
        label: 'MarkCaptured (done, unheard)',
        step: 'MarkCaptured',
        operationId: atMark.operation.id,
        check: snapshotDone(captured.id, atMark.snapshot.id, disks[1] ?? ''),
      },
      {
        label: 'RegisterSnapshot (done, unheard)',
        step: 'RegisterSnapshot',
        operationId: atRegister.operation.id,
        check: snapshotDone(registered.id, atRegister.snapshot.id, disks[2] ?? ''),
      },
      {
        label: 'CompleteSliceBuild (done, unheard)',
        step: 'CompleteSliceBuild',
        operationId: built.operation.id,
        check: madeSlice(built.slice.id),
      },
      {
        label: 'PlaceSlice',
        step: 'PlaceSlice',
        operationId: placed.operation.id,
        check: madeSlice(placed.slice.id),
      },
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
      operationSucceeded(await power(started.id, 'off')),
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
      restore(restorable),
      cloud.ok<Accepted>('DELETE', `/v1/snapshots/${deletable}?purge=true`),
      power(powered.id, 'off'),
      cloud.ok<Accepted>('DELETE', `/v1/slices/${deleted.id}`),
      power(started.id, 'on'),
    ]);
    await Promise.all([
      operationSucceeded(restoring),
      until(
        'deleted',
        () => snapshotView(deletable),
        (s) => s.status === 'deleted',
      ),
      cloud.waitForStep(poweringOff.operation.id, 'CompletePowerChange'),
      cloud.waitForStep(removing.operation.id, 'CompleteSliceDeletion'),
      cloud.waitForStep(poweringOn.operation.id, 'ConfirmSliceLock'),
    ]);
    // The deleted snapshot is billed until its deletion was asked for.
    deletedSnapshots.push(deletable);

    await killAndCheck('power, restore, deletions', [
      {
        label: 'CompleteRestore (done, unheard)',
        step: 'CompleteRestore',
        operationId: restoring.operation.id,
        check: endsWith('succeeded', restored.id, 'on', image),
      },
      {
        label: 'CompleteSnapshotDeletion (done, unheard)',
        step: 'CompleteSnapshotDeletion',
        operationId: deleting.operation.id,
        check: async (ended) => {
          expect(ended.status).toBe('succeeded');
          expect((await snapshotView(deletable)).status).toBe('deleted');
        },
      },
      {
        label: 'CompletePowerChange',
        step: 'CompletePowerChange',
        operationId: poweringOff.operation.id,
        check: endsWith('succeeded', powered.id, 'off', poweredDisk),
      },
      {
        label: 'CompleteSliceDeletion',
        step: 'CompleteSliceDeletion',
        operationId: removing.operation.id,
        check: async (ended) => {
          expect(ended.status).toBe('succeeded');
          expect((await cloud.slice(deleted.id)).status).toBe('deleted');
          expect(existsSync(cloud.diskPath(deleted.id))).toBe(false);
        },
      },
      {
        label: 'ConfirmSliceLock of a power-on',
        step: 'ConfirmSliceLock',
        operationId: poweringOn.operation.id,
        check: endsWith('succeeded', started.id, 'on', offDisk),
      },
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
      takeSnapshot(cleaned.id, 'failed-then-cleaned'),
      takeSnapshot(unsnapped.id, 'failed-unrecorded'),
      restore(restorable),
      power(powered.id, 'off'),
      cloud.ok<Accepted>('DELETE', `/v1/slices/${kept.id}`),
      createSlice('failed-creation'),
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
      expect((await snapshotView(id)).status).toBe('failed');
    };

    await killAndCheck('failures', [
      {
        label: 'CleanUpUpload',
        step: 'CleanUpUpload',
        operationId: cleanUp.operation.id,
        check: endsWith(
          'failed',
          cleaned.id,
          'on',
          disks[0] ?? '',
          snapshotFailed(cleanUp.snapshot.id),
        ),
      },
      {
        label: 'FailSnapshot',
        step: 'FailSnapshot',
        operationId: failing.operation.id,
        check: endsWith(
          'failed',
          unsnapped.id,
          'on',
          disks[1] ?? '',
          snapshotFailed(failing.snapshot.id),
        ),
      },
      {
        label: 'FailRestore',
        step: 'FailRestore',
        operationId: restoring.operation.id,
        check: endsWith('failed', restored.id, 'on', disks[2] ?? ''),
      },
      {
        label: 'FailPowerChange',
        step: 'FailPowerChange',
        operationId: poweringOff.operation.id,
        check: endsWith('failed', powered.id, 'on', disks[3] ?? ''),
      },
      {
        label: 'FailSliceDeletion',
        step: 'FailSliceDeletion',
        operationId: removing.operation.id,
        check: endsWith('failed', kept.id, 'on', disks[4] ?? '', async () => {
          expect((await cloud.slice(kept.id)).status).toBe('active');
        }),
      },
      {
        label: 'FailSliceCreation',
        step: 'FailSliceCreation',
        operationId: unmade.operation.id,
        check: async (ended) => {
          expect(ended.status).toBe('failed');
          expect((await cloud.slice(unmade.slice.id)).status).toBe('error');
          expect(existsSync(cloud.diskPath(unmade.slice.id))).toBe(false);
        },
      },
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
      takeSnapshot(source.id, 'held-at-restore-power'),
      createSlice('held-new-from-snapshot', sourceSnapshot),
      createSlice('held-new-blank'),
    ]);
    await cloud.waitForStep(blank.operation.id, 'PowerOnSlice');
    cloud.gates.hold({
      function: 'dispatch-agent-command',
      when: { 'command.type': 'create-disk' },
    });
    const unmade = await createSlice('held-at-create-disk');
    await Promise.all([
      cloud.waitForStep(snapshot.operation.id, 'RestorePowerState'),
      cloud.waitForStep(fromSnapshot.operation.id, 'PowerOnSlice'),
      cloud.waitForStep(unmade.operation.id, 'CreateDisk'),
    ]);

    await killAndCheck('host steps', [
      {
        label: 'create-snapshot RestorePowerState',
        step: 'RestorePowerState',
        operationId: snapshot.operation.id,
        check: endsWith('succeeded', source.id, 'on', image, async () => {
          expect((await snapshotView(snapshot.snapshot.id)).status).toBe('available');
        }),
      },
      {
        label: 'create-from-snapshot PowerOnSlice',
        step: 'PowerOnSlice',
        operationId: fromSnapshot.operation.id,
        check: madeSlice(fromSnapshot.slice.id, image),
      },
      {
        label: 'create-slice PowerOnSlice',
        step: 'PowerOnSlice',
        operationId: blank.operation.id,
        check: madeSlice(blank.slice.id),
      },
      {
        label: 'create-slice CreateDisk',
        step: 'CreateDisk',
        operationId: unmade.operation.id,
        check: madeSlice(unmade.slice.id),
      },
    ]);
  });
});
