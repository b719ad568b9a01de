import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import { failFinalSnapshot } from '../../../../core/use-cases/fail-final-snapshot.ts';
import { markSnapshotCaptured } from '../../../../core/use-cases/mark-snapshot-captured.ts';
import { prepareDiskCapture } from '../../../../core/use-cases/prepare-disk-capture.ts';
import { registerFinalSnapshot } from '../../../../core/use-cases/register-final-snapshot.ts';
import { requestSliceDeletion } from '../../../../core/use-cases/request-slice-deletion.ts';
import { STEP_FUNCTIONS_DOWN } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { eventsOf } from './support/outcomes.ts';
import { anActiveSlice } from './support/use-case-steps.ts';

const given = givenPorts(async (ports) => ({
  slice: await anActiveSlice(ports, { name: 'db-1', usedBytes: 2 * BYTES_PER_GIB }),
}));

async function aDeletionWithFinalSnapshot(slice: Slice) {
  const { ports } = given;
  const operation = await requestSliceDeletion(ports, {
    accountId: ACCOUNT,
    sliceId: slice.id,
    finalSnapshot: true,
  });
  const step = {
    accountId: ACCOUNT,
    sliceId: slice.id,
    operationId: operation.id,
    snapshotId: operation.finalSnapshotId ?? '',
  };
  return { operation, step };
}

describe('requestSliceDeletion with finalSnapshot', () => {
  it('stores the pending final snapshot, named for it, and hands it to the workflow', async () => {
    const { ports, slice } = given;

    const { operation } = await aDeletionWithFinalSnapshot(slice);

    const finalId = operation.finalSnapshotId ?? '';
    expect(finalId).toMatch(/^snp_/);
    expect(await ports.snapshots.get(ACCOUNT, finalId)).toMatchObject({
      status: 'pending',
      sliceId: slice.id,
      powerOff: true,
      name: `db-1-final-${Math.floor(ports.clock.now().getTime() / 1000)}`,
    });
    expect(ports.workflows.started.at(-1)).toEqual({
      workflow: 'delete-slice',
      input: {
        accountId: ACCOUNT,
        sliceId: slice.id,
        operationId: operation.id,
        finalSnapshotId: finalId,
      },
    });
  });

  it('takes none without it', async () => {
    const { ports, slice } = given;

    const operation = await requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id });

    expect(operation.finalSnapshotId).toBeNull();
    expect(ports.workflows.started.at(-1)?.input).toMatchObject({ finalSnapshotId: null });
  });

  it('fails the final snapshot and gives the slice back when the workflow cannot start', async () => {
    const { ports, slice } = given;

    await expect(
      requestSliceDeletion(
        { ...ports, workflows: STEP_FUNCTIONS_DOWN },
        { accountId: ACCOUNT, sliceId: slice.id, finalSnapshot: true },
      ),
    ).rejects.toThrow();

    const snapshots = (await ports.snapshots.list(ACCOUNT, {}, { limit: 10 })).items;
    expect(snapshots.map((each) => [each.status, each.error?.code])).toEqual([
      ['failed', 'WORKFLOW_START_FAILED'],
    ]);
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({ lock: null });
  });

  it('refuses a slice whose build failed: it has no disk to take', async () => {
    const { ports, slice } = given;
    const stored = await ports.slices.get(ACCOUNT, slice.id);
    if (!stored) throw new Error('no slice');
    await ports.slices.update(stored, { ...stored, status: 'error' });

    await expect(
      requestSliceDeletion(ports, { accountId: ACCOUNT, sliceId: slice.id, finalSnapshot: true }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect((await ports.slices.get(ACCOUNT, slice.id))?.status).toBe('error');
  });
});

describe('registerFinalSnapshot', () => {
  it('makes the final snapshot available and billed, leaving the slice locked for its deletion', async () => {
    const { ports, slice } = given;
    const { operation, step } = await aDeletionWithFinalSnapshot(slice);
    const plan = await prepareDiskCapture(ports, step);
    await markSnapshotCaptured(ports, {
      ...step,
      capturePower: 'off',
      poweredOff: false,
      lockedAt: plan.preparedAt,
    });
    ports.images.in('fra1').putChunks(ACCOUNT, ['chunk-1']);
    ports.images.in('fra1').putImage(ACCOUNT, step.snapshotId, {
      diskBytes: slice.diskBytes,
      usedBytes: BYTES_PER_GIB,
      chunkHashes: ['chunk-1'],
    });

    const final = await registerFinalSnapshot(ports, step);
    await registerFinalSnapshot(ports, step);

    expect(final).toMatchObject({ status: 'available', sizeBytes: BYTES_PER_GIB });
    const billed = await ports.usage.forAccount(ACCOUNT, '2025-03');
    expect(billed.map((usage) => usage.snapshotId)).toEqual([final.id]);
    expect(eventsOf(ports, EVENT.snapshotAvailable)).toHaveLength(1);
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({
      status: 'busy',
      lock: { operationId: operation.id },
    });
    expect((await ports.operations.get(ACCOUNT, operation.id))?.status).toBe('running');
  });
});

describe('failFinalSnapshot', () => {
  it("fails the final snapshot with the deletion's reason", async () => {
    const { ports, slice } = given;
    const { step } = await aDeletionWithFinalSnapshot(slice);
    await prepareDiskCapture(ports, step);

    const outcome = await failFinalSnapshot(ports, {
      ...step,
      error: { Error: 'PowerTimeout' },
    });

    expect(outcome).toEqual({ cleanUp: true });
    expect(await ports.snapshots.get(ACCOUNT, step.snapshotId)).toMatchObject({
      status: 'failed',
      error: { code: 'POWER_TIMEOUT' },
    });
  });
});
