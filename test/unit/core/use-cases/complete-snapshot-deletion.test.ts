import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { completeSnapshotDeletion } from '../../../../core/use-cases/complete-snapshot-deletion.ts';
import { deleteSnapshotImage } from '../../../../core/use-cases/delete-snapshot-image.ts';
import { ACCOUNT, A_DAY_LATER as DELETE_AT, givenPorts, NOW } from './support/given-ports.ts';
import {
  expectEmittedOnceOnRetry,
  expectEmittedOnceWhenRunTwice,
  expectOperationSucceeded,
} from './support/outcomes.ts';
import { anActiveSlice, anAvailableSnapshot, aSnapshotDeletion } from './support/use-case-steps.ts';

const DONE_AT = '2025-03-02T10:03:00.000Z';

describe('completeSnapshotDeletion', () => {
  const given = givenPorts(async (ports) => {
    const slice = await anActiveSlice(ports);
    const snapshot = await anAvailableSnapshot(ports, slice, ['a', 'b']);
    const kept = await anAvailableSnapshot(ports, slice, ['b', 'c']);
    ports.clock.set(DELETE_AT);
    const deletion = await aSnapshotDeletion(ports, snapshot);
    await deleteSnapshotImage(ports, deletion);
    ports.clock.set(DONE_AT);
    return { slice, snapshot, kept, step: deletion };
  });

  it('marks the snapshot deleted, out of every list, and succeeds the operation', async () => {
    const { ports, snapshot, step, kept } = given;
    const deleted = await completeSnapshotDeletion(ports, step);

    expect(deleted).toMatchObject({ status: 'deleted', deletedAt: DELETE_AT, updatedAt: DONE_AT });
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(deleted);
    expect((await ports.snapshots.list(ACCOUNT, {}, { limit: 10 })).items.map((s) => s.id)).toEqual(
      [kept.id],
    );
    await expectOperationSucceeded(ports, step.operationId, DONE_AT);
  });

  it('emits Snapshot Deleted with the ids and no chunk count, once when the step runs twice', async () => {
    const { ports, slice, snapshot, step } = given;

    const { emitted } = await expectEmittedOnceWhenRunTwice(ports, EVENT.snapshotDeleted, () =>
      completeSnapshotDeletion(ports, step),
    );

    expect(emitted).toEqual([
      {
        detailType: EVENT.snapshotDeleted,
        // Its chunks are still stored: the chunk collection reclaims them later.
        detail: {
          accountId: ACCOUNT,
          snapshotId: snapshot.id,
          sliceId: slice.id,
          operationId: step.operationId,
          name: snapshot.name,
          deletedAt: DELETE_AT,
        },
      },
    ]);
  });

  it('emits Snapshot Deleted once, on a retry after the write that carries it failed', async () => {
    const { ports, step } = given;
    await expectEmittedOnceOnRetry(ports, EVENT.snapshotDeleted, step.operationId, (deps) =>
      completeSnapshotDeletion(deps, step),
    );
  });

  it('keeps the snapshot billed until the deletion was requested, not until it was done', async () => {
    const { ports, snapshot, step, kept } = given;
    await completeSnapshotDeletion(ports, step);

    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: snapshot.id, from: NOW, to: DELETE_AT }),
      expect.objectContaining({ snapshotId: kept.id, to: null }),
    ]);
  });
});
