import { describe, expect, it } from 'vitest';
import { failSnapshotDeletion } from '../../../../core/use-cases/fail-snapshot-deletion.ts';
import { requestRestore } from '../../../../core/use-cases/request-restore.ts';
import { ACCOUNT, A_DAY_LATER as DELETE_AT, givenPorts } from './support/given-ports.ts';
import { expectFallbackReason, expectOperationFailed } from './support/outcomes.ts';
import { aSliceWithASnapshot, aSnapshotDeletion } from './support/use-case-steps.ts';

const FAILED_AT = '2025-03-02T11:00:00.000Z';
const PROTECTED = { Error: 'SnapshotProtectedError', Cause: 'snapshot snp_x is protected' };

describe('failSnapshotDeletion', () => {
  const given = givenPorts(async (ports) => {
    const { snapshot } = await aSliceWithASnapshot(ports);
    ports.clock.set(DELETE_AT);
    const step = await aSnapshotDeletion(ports, snapshot);
    ports.clock.set(FAILED_AT);
    return { snapshot, step };
  });

  it('fails the operation with a reason users can read', async () => {
    const { ports, step } = given;
    const failure = await failSnapshotDeletion(ports, { ...step, error: PROTECTED });

    expect(failure).toEqual({
      code: 'SNAPSHOT_PROTECTED',
      message: 'the snapshot is protected: nothing of it was deleted',
    });
    await expectOperationFailed(ports, step.operationId, failure, FAILED_AT);
  });

  it('falls back to a reason that says deleting again resumes', async () => {
    const { ports, step } = given;

    await expectFallbackReason(ports, step, (input) => failSnapshotDeletion(ports, input), {
      code: 'SNAPSHOT_DELETION_FAILED',
      message: expect.stringContaining('deleting it again resumes'),
    });
  });

  it('leaves the snapshot deleting, unbilled since the request and never restorable', async () => {
    const { ports, snapshot, step } = given;
    await failSnapshotDeletion(ports, { ...step, error: PROTECTED });

    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toMatchObject({
      status: 'deleting',
      deletedAt: DELETE_AT,
      deletionOperationId: step.operationId,
    });
    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: snapshot.id, to: DELETE_AT }),
    ]);
    await expect(
      requestRestore(ports, { accountId: ACCOUNT, snapshotId: snapshot.id }),
    ).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_AVAILABLE' });
  });

  it('emits nothing and keeps the first failure when the step runs twice', async () => {
    const { ports, step } = given;
    const published = ports.events.published.length;
    await failSnapshotDeletion(ports, { ...step, error: PROTECTED });

    await failSnapshotDeletion(ports, { ...step, error: { Error: 'StoreUnavailable' } });

    expect(ports.events.published).toHaveLength(published);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.error?.code).toBe(
      'SNAPSHOT_PROTECTED',
    );
  });
});
