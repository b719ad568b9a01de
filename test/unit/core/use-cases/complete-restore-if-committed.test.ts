import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { SnapshotRepository } from '../../../../core/ports/snapshot-repository.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  completeRestore,
  type RestoreStepInput,
} from '../../../../core/use-cases/complete-restore.ts';
import { completeRestoreIfCommitted } from '../../../../core/use-cases/complete-restore-if-committed.ts';
import {
  ACCOUNT,
  anActiveSlice,
  anAvailableSnapshot,
  aRequestedRestore,
  eventsOf,
} from './support/snapshot-steps.ts';

const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T10:20:00.000Z';

describe('completeRestoreIfCommitted', () => {
  let ports: MemoryPorts;
  let snapshot: Snapshot;
  let step: RestoreStepInput;

  beforeEach(async () => {
    ports = createMemoryPorts({ now: NOW });
    const slice = await anActiveSlice(ports);
    snapshot = await anAvailableSnapshot(ports, slice);
    step = await aRequestedRestore(ports, snapshot);
    ports.clock.set(LATER);
  });

  /** The snapshots of `ports`, refusing every write: the reader cannot be released. */
  const snapshotsRefusingWrites = (): SnapshotRepository => ({
    create: (created) => ports.snapshots.create(created),
    get: (accountId, snapshotId) => ports.snapshots.get(accountId, snapshotId),
    list: (accountId, filter, page) => ports.snapshots.list(accountId, filter, page),
    update: async () => {
      throw new Error('DynamoDB is down');
    },
  });

  it('answers not committed while the restore still holds the lock, and changes nothing', async () => {
    const outcome = await completeRestoreIfCommitted(ports, step);

    expect(outcome).toEqual({ committed: false });
    expect(await ports.slices.get(ACCOUNT, step.sliceId)).toMatchObject({
      status: 'busy',
      lock: { operationId: step.operationId },
    });
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toHaveLength(1);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('running');
    expect(eventsOf(ports, EVENT.sliceRestored)).toEqual([]);
  });

  it('completes a restore whose commit went through before the step failed', async () => {
    const failing = { ...ports, snapshots: snapshotsRefusingWrites() };
    await expect(
      completeRestore(failing, { ...step, usedBytes: 2 * BYTES_PER_GIB }),
    ).rejects.toThrow('DynamoDB is down');

    const outcome = await completeRestoreIfCommitted(ports, step);

    expect(outcome).toEqual({ committed: true });
    expect(await ports.slices.get(ACCOUNT, step.sliceId)).toMatchObject({
      status: 'active',
      lock: null,
      usedBytes: 2 * BYTES_PER_GIB,
    });
    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'succeeded',
      finishedAt: LATER,
    });
    expect(eventsOf(ports, EVENT.sliceRestored)).toHaveLength(1);
  });

  it('emits nothing more for a restore that was completed already', async () => {
    await completeRestore(ports, { ...step, usedBytes: 2 * BYTES_PER_GIB });

    const outcome = await completeRestoreIfCommitted(ports, step);

    expect(outcome).toEqual({ committed: true });
    expect(eventsOf(ports, EVENT.sliceRestored)).toHaveLength(1);
  });
});
