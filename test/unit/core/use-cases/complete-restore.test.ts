import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { unlockSlice } from '../../../../core/slices/slice.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  completeCommittedRestore,
  completeRestore,
  type RestoreStepInput,
} from '../../../../core/use-cases/complete-restore.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import {
  ACCOUNT,
  anActiveSlice,
  anAvailableSnapshot,
  aRequestedRestore,
  eventsOf,
  operationUpdatesDown,
  recordingSliceWrites,
} from './support/snapshot-steps.ts';

const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-01T10:20:00.000Z';

let ports: MemoryPorts;
let snapshot: Snapshot;
let step: RestoreStepInput;

beforeEach(async () => {
  ports = createMemoryPorts({ now: NOW });
  const slice = await anActiveSlice(ports, { usedBytes: 3 * BYTES_PER_GIB });
  snapshot = await anAvailableSnapshot(ports, slice);
  // The disk grew after the snapshot: the restore puts the image's used bytes back.
  const grown = await ports.slices.get(ACCOUNT, slice.id);
  if (!grown) throw new Error('no slice');
  await ports.slices.update(grown, { ...grown, usedBytes: 8 * BYTES_PER_GIB });
  step = await aRequestedRestore(ports, snapshot);
  ports.clock.set(LATER);
});

const committed = () => ({ ...step, usedBytes: snapshot.sizeBytes });

describe('completeRestore', () => {
  it("records the image's used bytes and gives the lock back in one write", async () => {
    const { slices, writes } = recordingSliceWrites(ports);

    await completeRestore({ ...ports, slices }, committed());

    expect(writes).toEqual(['update']);
    expect(await ports.slices.get(ACCOUNT, step.sliceId)).toMatchObject({
      status: 'active',
      lock: null,
      usedBytes: 3 * BYTES_PER_GIB,
      updatedAt: LATER,
    });
  });

  it('releases the snapshot and succeeds the operation', async () => {
    await completeRestore(ports, committed());

    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    expect(await ports.operations.get(ACCOUNT, step.operationId)).toMatchObject({
      status: 'succeeded',
      finishedAt: LATER,
      error: null,
    });
  });

  it('emits Slice Restored once when the step runs twice', async () => {
    await completeRestore(ports, committed());

    await completeRestore(ports, committed());

    expect(eventsOf(ports, EVENT.sliceRestored)).toEqual([
      {
        detailType: EVENT.sliceRestored,
        detail: {
          accountId: ACCOUNT,
          sliceId: step.sliceId,
          snapshotId: snapshot.id,
          operationId: step.operationId,
        },
      },
    ]);
  });

  it('leaves the slice alone once another operation took it after the commit', async () => {
    await completeRestore(ports, committed());
    const power = await requestPowerChange(ports, {
      accountId: ACCOUNT,
      sliceId: step.sliceId,
      state: 'off',
    });

    await completeRestore(ports, { ...committed(), usedBytes: 1 });

    expect(await ports.slices.get(ACCOUNT, step.sliceId)).toMatchObject({
      status: 'busy',
      lock: { operationId: power.id },
      usedBytes: 3 * BYTES_PER_GIB,
    });
  });

  it('emits Slice Restored once, on a retry after the write that carries it failed', async () => {
    await expect(
      completeRestore({ ...ports, operations: operationUpdatesDown(ports) }, committed()),
    ).rejects.toThrow('DynamoDB is down');
    expect(eventsOf(ports, EVENT.sliceRestored)).toEqual([]);

    await completeRestore(ports, committed());

    expect(eventsOf(ports, EVENT.sliceRestored)).toHaveLength(1);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('succeeded');
  });
});

describe('completeCommittedRestore', () => {
  it('completes a restore whose commit was written: the reader released, the operation succeeded', async () => {
    const slice = await ports.slices.get(ACCOUNT, step.sliceId);
    if (!slice) throw new Error('no slice');
    await ports.slices.update(slice, unlockSlice(slice, step.operationId, LATER));

    await completeCommittedRestore(ports, step);

    expect((await ports.snapshots.get(ACCOUNT, snapshot.id))?.readers).toEqual([]);
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.status).toBe('succeeded');
    expect(eventsOf(ports, EVENT.sliceRestored)).toHaveLength(1);
  });
});
