import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceNotFoundError,
  SourceSliceGoneError,
} from '../../../../core/slices/slice-errors.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  DiskTooSmallError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotRegionMismatchError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { requestRestore } from '../../../../core/use-cases/request-restore.ts';
import { STEP_FUNCTIONS_DOWN } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts, EIGHT_HOURS_LATER as READ_UNTIL } from './support/given-ports.ts';
import {
  aRunningOperation,
  eventsOf,
  expectStartFailureUndone,
  operationsOf,
} from './support/outcomes.ts';
import {
  aFailedSnapshot,
  anActiveSlice,
  anAvailableSnapshot,
  aPowerChange,
  aSnapshotDeletion,
  deleteStoredSlice,
  snapshotsNotFound,
} from './support/use-case-steps.ts';

describe('requestRestore', () => {
  const given = givenPorts(async (ports) => {
    const source = await anActiveSlice(ports, { usedBytes: 4 * BYTES_PER_GIB });
    return { source, snapshot: await anAvailableSnapshot(ports, source) };
  });

  /** Another active slice of the account, changed by `overrides`. */
  async function anotherSlice(overrides: Partial<Slice> = {}): Promise<Slice> {
    const slice = await anActiveSlice(given.ports, { name: 'web-2' });
    const changed = { ...slice, ...overrides };
    await given.ports.slices.update(slice, changed);
    return changed;
  }

  const restoreOperations = () => operationsOf(given.ports, 'slice.restore');

  /** Nothing of a restore is left behind: no lock, no reader, no operation, no workflow. */
  async function expectNothingClaimed(...slices: Slice[]): Promise<void> {
    const { ports, snapshot } = given;
    for (const slice of slices) {
      expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({ lock: null });
    }
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    expect(await restoreOperations()).toEqual([]);
    expect(ports.workflows.started.filter((each) => each.workflow === 'restore-slice')).toEqual([]);
  }

  it('locks the slice, reads the snapshot, starts a running operation and the restore-slice workflow', async () => {
    const { ports, snapshot } = given;
    const target = await anotherSlice();

    const { operation } = await requestRestore(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      sliceId: target.id,
      keepCurrent: false,
    });

    expect(await ports.slices.get(ACCOUNT, target.id)).toMatchObject({
      status: 'busy',
      lock: { operationId: operation.id, operationType: 'slice.restore', power: 'on' },
    });
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([
      {
        operationId: operation.id,
        operationType: 'slice.restore',
        sliceId: target.id,
        until: READ_UNTIL,
      },
    ]);
    expect(await ports.operations.get(ACCOUNT, operation.id)).toMatchObject({
      ...aRunningOperation('slice.restore', 'slice', target.id),
      progress: { bytesDone: 0, bytesTotal: 4 * BYTES_PER_GIB },
    });
    expect(eventsOf(ports, EVENT.sliceRestoreStarted)).toEqual([
      {
        detailType: EVENT.sliceRestoreStarted,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          sliceId: target.id,
          snapshotId: snapshot.id,
          operationId: operation.id,
        }),
      },
    ]);
    expect(ports.workflows.started.at(-1)).toEqual({
      workflow: 'restore-slice',
      input: {
        accountId: ACCOUNT,
        sliceId: target.id,
        operationId: operation.id,
        snapshotId: snapshot.id,
        undoSnapshotId: null,
      },
    });
  });

  it('keeps the disk it replaces by default: a pending snapshot the operation and the workflow name', async () => {
    const { ports, source, snapshot } = given;

    const { operation } = await requestRestore(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
    });

    const undoSnapshotId = operation.undoSnapshotId ?? '';
    expect(undoSnapshotId).toMatch(/^snp_/);
    expect(await ports.snapshots.get(ACCOUNT, undoSnapshotId)).toMatchObject({
      status: 'pending',
      sliceId: source.id,
      name: `${source.name}-before-restore-${Math.floor(ports.clock.now().getTime() / 1000)}`,
      labels: { 'slice-snapshots/auto': 'pre-restore' },
      powerOff: true,
    });
    expect(operation).toMatchObject({ undoUntil: null, undoError: null });
    expect(ports.workflows.started.at(-1)?.input).toMatchObject({ undoSnapshotId });
  });

  it('fails the pending snapshot of the replaced disk when the workflow cannot start', async () => {
    const { ports, snapshot } = given;
    const failing = { ...ports, workflows: STEP_FUNCTIONS_DOWN };

    await expect(
      requestRestore(failing, { accountId: ACCOUNT, snapshotId: snapshot.id }),
    ).rejects.toThrow();

    const kept = (await ports.snapshots.list(ACCOUNT, {}, { limit: 10 })).items.filter(
      (each) => each.labels['slice-snapshots/auto'] === 'pre-restore',
    );
    expect(kept.map((each) => each.status)).toEqual(['failed']);
    expect(kept[0]?.error?.code).toBe('WORKFLOW_START_FAILED');
  });

  it("restores onto the snapshot's own slice when no slice is named", async () => {
    const { ports, source, snapshot } = given;
    await anotherSlice();

    const { slice, operation } = await requestRestore(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
    });

    expect(slice.id).toBe(source.id);
    expect(operation.resourceId).toBe(source.id);
    expect(await ports.slices.get(ACCOUNT, source.id)).toMatchObject({
      status: 'busy',
      lock: { operationId: operation.id },
    });
  });

  it('refuses a snapshot that is not available, and claims nothing', async () => {
    const { ports, source } = given;
    const failed = await aFailedSnapshot(ports, source);
    const deleting = await anAvailableSnapshot(ports, source);
    await aSnapshotDeletion(ports, deleting);

    for (const snapshotId of [failed.id, deleting.id]) {
      await expect(requestRestore(ports, { accountId: ACCOUNT, snapshotId })).rejects.toThrow(
        SnapshotNotAvailableError,
      );
    }

    await expectNothingClaimed(source);
  });

  it('does not find a deleted snapshot, an unknown one or one of another account', async () => {
    const { ports, source, snapshot } = given;
    const notFound = await snapshotsNotFound(ports, source, snapshot);

    for (const input of notFound) {
      await expect(requestRestore(ports, input)).rejects.toThrow(SnapshotNotFoundError);
    }

    await expectNothingClaimed(source);
  });

  it('refuses a restore onto a deleted source slice, telling to make a new slice from the snapshot', async () => {
    const { ports, source, snapshot } = given;
    await deleteStoredSlice(ports, source);

    const attempt = requestRestore(ports, { accountId: ACCOUNT, snapshotId: snapshot.id });

    await expect(attempt).rejects.toThrow(SourceSliceGoneError);
    await expect(attempt).rejects.toThrow('create a new slice from the snapshot');
    await expect(attempt).rejects.toThrow(`"snapshotId": "${snapshot.id}"`);
    await expectNothingClaimed();
  });

  it('does not find a named slice that is missing, deleted or of another account', async () => {
    const { ports, source, snapshot } = given;
    const deleted = await anotherSlice();
    await deleteStoredSlice(ports, deleted);
    const foreign = { ...(await anotherSlice()), id: ports.ids.next('slice'), accountId: 'acct-2' };
    await ports.slices.create(foreign);

    for (const sliceId of [ports.ids.next('slice'), deleted.id, foreign.id]) {
      await expect(
        requestRestore(ports, { accountId: ACCOUNT, snapshotId: snapshot.id, sliceId }),
      ).rejects.toThrow(SliceNotFoundError);
    }

    await expectNothingClaimed(source);
  });

  it.each([
    ['of another region', () => ({ region: 'nyc1' }), SnapshotRegionMismatchError],
    [
      "whose disk is smaller than the snapshot's",
      (snapshot: Snapshot) => ({ diskBytes: snapshot.diskBytes - BYTES_PER_GIB }),
      DiskTooSmallError,
    ],
    [
      'that is still being built',
      () => ({ status: 'building' as const }),
      IllegalSliceTransitionError,
    ],
  ])('refuses a slice %s, and claims nothing', async (_, change, refusal) => {
    const { ports, snapshot } = given;
    const target = await anotherSlice(change(snapshot));

    const attempt = requestRestore(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      sliceId: target.id,
    });

    await expect(attempt).rejects.toThrow(refusal);
    await expectNothingClaimed(target);
  });

  it('refuses a restore while another operation holds the slice, naming it', async () => {
    const { ports, source, snapshot } = given;
    const { operationId: holder } = await aPowerChange(ports, source, 'off');

    const attempt = requestRestore(ports, { accountId: ACCOUNT, snapshotId: snapshot.id });

    await expect(attempt).rejects.toThrow(SliceBusyError);
    await expect(attempt).rejects.toThrow(holder);
    expect((await ports.slices.get(ACCOUNT, source.id))?.lock?.operationId).toBe(holder);
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    expect(await restoreOperations()).toEqual([]);
  });

  it('gives the lock and the reader back and fails the operation when the workflow cannot start', async () => {
    const { ports, source, snapshot } = given;
    const attempt = requestRestore(
      { ...ports, workflows: STEP_FUNCTIONS_DOWN },
      { accountId: ACCOUNT, snapshotId: snapshot.id },
    );

    await expect(attempt).rejects.toThrow('Step Functions is down');
    await expectStartFailureUndone(ports, source, 'slice.restore');
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    const [operation] = await restoreOperations();
    const failure = { code: 'WORKFLOW_START_FAILED', message: expect.any(String) };
    expect(operation).toMatchObject({ status: 'failed', error: failure });
    expect(eventsOf(ports, EVENT.sliceRestoreFailed)).toEqual([
      {
        detailType: EVENT.sliceRestoreFailed,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          sliceId: source.id,
          snapshotId: snapshot.id,
          operationId: operation?.id,
          error: failure,
        }),
      },
    ]);
  });
});
