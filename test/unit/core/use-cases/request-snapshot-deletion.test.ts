import { describe, expect, it } from 'vitest';
import { SNAPSHOT_READER_EXPIRY_SECONDS } from '../../../../blueprint/facts.ts';
import {
  IllegalSnapshotTransitionError,
  SnapshotBeingDeletedError,
  SnapshotInUseError,
  SnapshotNotFoundError,
  SnapshotProtectedError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { failSnapshotDeletion } from '../../../../core/use-cases/fail-snapshot-deletion.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { updateSnapshot } from '../../../../core/use-cases/update-snapshot.ts';
import { STEP_FUNCTIONS_DOWN, withOverrides } from './support/failing-ports.ts';
import { ACCOUNT, A_DAY_LATER as DELETE_AT, givenPorts, NOW } from './support/given-ports.ts';
import { aRunningOperation, operationsOf } from './support/outcomes.ts';
import { thenClockAt } from './support/set-ups.ts';
import {
  aFailedSnapshot,
  anActiveSlice,
  anUploadingSnapshot,
  aRequestedRestore,
  aRequestedSnapshot,
  aSliceWithASnapshot,
  snapshotsNotFound,
} from './support/use-case-steps.ts';

const RETRY_AT = '2025-03-03T10:00:00.000Z';

describe('requestSnapshotDeletion', () => {
  const given = givenPorts(thenClockAt(DELETE_AT, aSliceWithASnapshot));

  /** A deletion for good (`?purge=true`, past the recycle bin): its operation. */
  const deletion = async (snapshotId = given.snapshot.id) =>
    (await requestSnapshotDeletion(given.ports, { accountId: ACCOUNT, snapshotId, purge: true }))
      .operation;

  const deletionWorkflows = () =>
    given.ports.workflows.started.filter((each) => each.workflow === 'delete-snapshot');

  const deletionOperations = () => operationsOf(given.ports, 'snapshot.delete');

  it('marks the snapshot deleting at this moment and starts the delete-snapshot workflow', async () => {
    const { ports, snapshot } = given;
    const operation = await deletion();

    expect(operation).toMatchObject({
      ...aRunningOperation('snapshot.delete', 'snapshot', snapshot.id),
      startedAt: DELETE_AT,
    });
    expect(await ports.operations.get(ACCOUNT, operation.id)).toEqual(operation);
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      status: 'deleting',
      deletedAt: DELETE_AT,
      deletionOperationId: operation.id,
    });
    expect(deletionWorkflows()).toEqual([
      {
        workflow: 'delete-snapshot',
        input: { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation.id },
      },
    ]);
  });

  it('stops billing at the moment of the request', async () => {
    const { ports, snapshot } = given;
    await deletion();

    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: snapshot.id, from: NOW, to: DELETE_AT }),
    ]);
  });

  it('refuses a deletion while a restore reads the snapshot, naming the restore', async () => {
    const { ports, snapshot } = given;
    const restore = await aRequestedRestore(ports, snapshot);

    const attempt = deletion();

    await expect(attempt).rejects.toThrow(SnapshotInUseError);
    await expect(attempt).rejects.toThrow(restore.operationId);
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      status: 'available',
      deletedAt: null,
    });
    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: snapshot.id, to: null }),
    ]);
    expect(await deletionOperations()).toEqual([]);
    expect(deletionWorkflows()).toEqual([]);
  });

  it('deletes a snapshot whose reader expired, its workflow long timed out', async () => {
    const { ports, snapshot } = given;
    await aRequestedRestore(ports, snapshot);
    ports.clock.advanceSeconds(SNAPSHOT_READER_EXPIRY_SECONDS + 1);

    const operation = await deletion();

    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      status: 'deleting',
      readers: [],
      deletionOperationId: operation.id,
    });
    expect(deletionWorkflows()).toHaveLength(1);
  });

  it('refuses a snapshot that is still being taken', async () => {
    const { ports, slice } = given;
    const pending = await aRequestedSnapshot(ports, await anActiveSlice(ports, { name: 'db' }));
    const uploading = await anUploadingSnapshot(ports, slice);

    for (const snapshotId of [pending.snapshotId, uploading.step.snapshotId]) {
      await expect(deletion(snapshotId)).rejects.toThrow(IllegalSnapshotTransitionError);
    }

    expect(await deletionOperations()).toEqual([]);
    expect(deletionWorkflows()).toEqual([]);
  });

  it('refuses a second deletion while the first runs', async () => {
    const { ports, snapshot } = given;
    const first = await deletion();

    await expect(deletion()).rejects.toThrow(SnapshotBeingDeletedError);

    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.deletionOperationId).toBe(first.id);
    expect(await deletionOperations()).toHaveLength(1);
  });

  it('takes up a deletion that failed with a new operation, billing stopped as it was', async () => {
    const { ports, snapshot } = given;
    const first = await deletion();
    await failSnapshotDeletion(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      operationId: first.id,
      error: { Error: 'StoreUnavailable' },
    });
    ports.clock.set(RETRY_AT);

    const second = await deletion();

    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ status: 'running', startedAt: RETRY_AT });
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      status: 'deleting',
      deletedAt: DELETE_AT,
      deletionOperationId: second.id,
    });
    expect(deletionWorkflows().map((each) => each.input.operationId)).toEqual([
      first.id,
      second.id,
    ]);
    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: snapshot.id, to: DELETE_AT }),
    ]);
  });

  it('takes up a deletion whose workflow could not start', async () => {
    const { ports, snapshot } = given;
    const attempt = requestSnapshotDeletion(
      { ...ports, workflows: STEP_FUNCTIONS_DOWN },
      { accountId: ACCOUNT, snapshotId: snapshot.id, purge: true },
    );
    await expect(attempt).rejects.toThrow('Step Functions is down');

    const again = await deletion();

    expect(again.status).toBe('running');
    expect(deletionWorkflows().map((each) => each.input.operationId)).toEqual([again.id]);
    expect((await deletionOperations()).filter((each) => each.status === 'running')).toEqual([
      expect.objectContaining({ id: again.id }),
    ]);
  });

  it('deletes a failed snapshot, which was never billed', async () => {
    const { ports, slice, snapshot } = given;
    const failed = await aFailedSnapshot(ports, slice);

    const operation = await deletion(failed.id);

    expect(await ports.snapshots.get(ACCOUNT, failed.id)).toMatchObject({
      status: 'deleting',
      deletionOperationId: operation.id,
    });
    expect(deletionWorkflows()).toHaveLength(1);
    expect((await ports.usage.forAccount(ACCOUNT, '2025-03')).map((u) => u.snapshotId)).toEqual([
      snapshot.id,
    ]);
  });

  it('does not find a deleted snapshot, an unknown one or one of another account', async () => {
    const { ports, slice, snapshot } = given;
    const notFound = await snapshotsNotFound(ports, slice, snapshot);

    for (const input of notFound) {
      await expect(requestSnapshotDeletion(ports, input)).rejects.toThrow(SnapshotNotFoundError);
      await expect(requestSnapshotDeletion(ports, { ...input, purge: true })).rejects.toThrow(
        SnapshotNotFoundError,
      );
    }

    expect(deletionWorkflows()).toEqual([]);
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.status).toBe('available');
  });

  describe('of a protected snapshot', () => {
    const protect = (snapshotId: string, on = true) =>
      updateSnapshot(given.ports, { accountId: ACCOUNT, snapshotId, protected: on });

    it('refuses with SnapshotProtectedError: still available, billed, no workflow', async () => {
      const { ports, snapshot } = given;
      await protect(snapshot.id);
      const before = await ports.snapshots.get(ACCOUNT, snapshot.id);

      const attempt = deletion();

      await expect(attempt).rejects.toThrow(SnapshotProtectedError);
      expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(before);
      expect(before).toMatchObject({ status: 'available', deletedAt: null });
      expect(deletionWorkflows()).toEqual([]);
      expect(await deletionOperations()).toEqual([]);
    });

    it('refuses a protected failed snapshot too', async () => {
      const { ports, slice } = given;
      const failed = await aFailedSnapshot(ports, slice);
      await protect(failed.id);

      await expect(deletion(failed.id)).rejects.toThrow(SnapshotProtectedError);
    });

    it('refuses when protection lands between the read and the write', async () => {
      const { ports, snapshot } = given;
      let raced = false;
      const racing = withOverrides(ports.snapshots, {
        get: async (accountId, snapshotId) => {
          const read = await ports.snapshots.get(accountId, snapshotId);
          if (!raced) {
            raced = true;
            await protect(snapshotId);
          }
          return read;
        },
      });

      const attempt = requestSnapshotDeletion(
        { ...ports, snapshots: racing },
        { accountId: ACCOUNT, snapshotId: snapshot.id },
      );

      await expect(attempt).rejects.toThrow(SnapshotProtectedError);
      expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
        status: 'available',
        protected: true,
      });
    });

    it('deletes it once protection is off again', async () => {
      const { snapshot } = given;
      await protect(snapshot.id);
      await protect(snapshot.id, false);

      const operation = await deletion();

      expect(operation).toMatchObject({ type: 'snapshot.delete', status: 'running' });
    });
  });
});
