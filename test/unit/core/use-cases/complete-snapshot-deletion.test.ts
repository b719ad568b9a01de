import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  completeSnapshotDeletion,
  type SnapshotDeletionStepInput,
} from '../../../../core/use-cases/complete-snapshot-deletion.ts';
import { deleteSnapshotImage } from '../../../../core/use-cases/delete-snapshot-image.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import {
  ACCOUNT,
  anActiveSlice,
  anAvailableSnapshot,
  eventsOf,
  operationUpdatesDown,
} from './support/snapshot-steps.ts';

const NOW = '2025-03-01T10:00:00.000Z';
const DELETE_AT = '2025-03-02T10:00:00.000Z';
const DONE_AT = '2025-03-02T10:03:00.000Z';

describe('completeSnapshotDeletion', () => {
  let ports: MemoryPorts;
  let slice: Slice;
  let snapshot: Snapshot;
  let kept: Snapshot;
  let step: SnapshotDeletionStepInput & { deletedChunks: number };

  beforeEach(async () => {
    ports = createMemoryPorts({ now: NOW });
    slice = await anActiveSlice(ports);
    snapshot = await anAvailableSnapshot(ports, slice, ['a', 'b']);
    kept = await anAvailableSnapshot(ports, slice, ['b', 'c']);
    ports.clock.set(DELETE_AT);
    const { operation } = await requestSnapshotDeletion(ports, {
      accountId: ACCOUNT,
      snapshotId: snapshot.id,
      purge: true,
    });
    const input = { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation.id };
    const { deletedChunks } = await deleteSnapshotImage(ports, input);
    step = { ...input, deletedChunks };
    ports.clock.set(DONE_AT);
  });

  it('marks the snapshot deleted, out of every list, and succeeds the operation', async () => {
    const deleted = await completeSnapshotDeletion(ports, step);

    expect(deleted).toMatchObject({ status: 'deleted', deletedAt: DELETE_AT, updatedAt: DONE_AT });
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(deleted);
    expect((await ports.snapshots.list(ACCOUNT, {}, { limit: 10 })).items.map((s) => s.id)).toEqual(
      [kept.id],
    );
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'succeeded',
      finishedAt: DONE_AT,
    });
  });

  it('emits Snapshot Deleted with the ids, once when the step runs twice', async () => {
    await completeSnapshotDeletion(ports, step);

    await completeSnapshotDeletion(ports, step);

    expect(eventsOf(ports, EVENT.snapshotDeleted)).toEqual([
      {
        detailType: EVENT.snapshotDeleted,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          snapshotId: snapshot.id,
          sliceId: slice.id,
          operationId: step.operationId,
          deletedAt: DELETE_AT,
          deletedChunks: 1,
        }),
      },
    ]);
  });

  it('emits Snapshot Deleted once, on a retry after the write that carries it failed', async () => {
    await expect(
      completeSnapshotDeletion({ ...ports, operations: operationUpdatesDown(ports) }, step),
    ).rejects.toThrow('DynamoDB is down');
    expect(eventsOf(ports, EVENT.snapshotDeleted)).toEqual([]);

    await completeSnapshotDeletion(ports, step);

    expect(eventsOf(ports, EVENT.snapshotDeleted)).toHaveLength(1);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('succeeded');
  });

  it('keeps the snapshot billed until the deletion was requested, not until it was done', async () => {
    await completeSnapshotDeletion(ports, step);

    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: snapshot.id, from: NOW, to: DELETE_AT }),
      expect.objectContaining({ snapshotId: kept.id, to: null }),
    ]);
  });
});
