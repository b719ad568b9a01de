import { describe, expect, it } from 'vitest';
import { UnknownRegionError } from '../../../../core/regions/region-errors.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  DiskTooSmallError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotRegionMismatchError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { createSlice } from '../../../../core/use-cases/create-slice.ts';
import { anAvailableSnapshot } from '../../../support/records.ts';
import { STEP_FUNCTIONS_DOWN } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts, NOW } from './support/given-ports.ts';
import { aRunningOperation } from './support/outcomes.ts';

/** The request of a 1 GB slice in fra1. */
const A_SMALL_SLICE = { accountId: ACCOUNT, name: 'a', region: 'fra1', diskGB: 1 };

describe('createSlice', () => {
  const given = givenPorts();

  /** An available snapshot of a 50 GiB disk, stored, changed by `overrides`. */
  async function aStoredSnapshot(overrides: Partial<Snapshot> = {}): Promise<Snapshot> {
    const diskBytes = 50 * BYTES_PER_GIB;
    const snapshot = anAvailableSnapshot({ accountId: ACCOUNT, diskBytes, ...overrides });
    await given.ports.snapshots.create(snapshot);
    return snapshot;
  }

  it('creates a building slice, a running operation and starts the create-slice workflow', async () => {
    const { ports } = given;
    const { slice, operation } = await createSlice(ports, {
      accountId: ACCOUNT,
      name: '  web-1 ',
      region: 'fra1',
      diskGB: 25,
    });

    expect(slice).toMatchObject({
      accountId: ACCOUNT,
      name: 'web-1',
      region: 'fra1',
      status: 'building',
      power: 'off',
      diskBytes: 25 * BYTES_PER_GIB,
      usedBytes: 0,
      fromSnapshotId: null,
      createdAt: NOW,
    });
    expect(slice.id).toMatch(/^slc_/);
    expect(operation).toMatchObject({
      ...aRunningOperation('slice.create', 'slice', slice.id),
      startedAt: NOW,
    });
    expect(operation.id).toMatch(/^op_/);
    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(slice);
    expect(await ports.operations.get(ACCOUNT, operation.id)).toEqual(operation);
    expect(ports.workflows.started).toEqual([
      {
        workflow: 'create-slice',
        input: {
          accountId: ACCOUNT,
          sliceId: slice.id,
          operationId: operation.id,
          snapshotId: null,
        },
      },
    ]);
  });

  it('names every bad field at once and creates nothing', async () => {
    const { ports } = given;
    const attempt = createSlice(ports, { accountId: ACCOUNT, name: '', region: 'mars', diskGB: 0 });

    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toMatchObject({
      issues: [
        { path: 'name', message: expect.any(String) },
        { path: 'diskGB', message: expect.any(String) },
        { path: 'region', message: expect.stringContaining('fra1, nyc1') },
      ],
    });
    expect((await ports.slices.list(ACCOUNT, {}, { limit: 10 })).items).toEqual([]);
    expect(ports.workflows.started).toEqual([]);
  });

  it('refuses an unknown region alone with UnknownRegionError', async () => {
    const { ports } = given;
    const attempt = createSlice(ports, { ...A_SMALL_SLICE, region: 'mars' });

    await expect(attempt).rejects.toBeInstanceOf(UnknownRegionError);
    await expect(attempt).rejects.toMatchObject({ code: 'UNKNOWN_REGION' });
  });

  it('refuses a snapshot id of the wrong shape', async () => {
    const { ports } = given;
    const attempt = createSlice(ports, {
      ...A_SMALL_SLICE,
      snapshotId: 'slc_01JNZ5Y1Q0000000000000000A',
    });

    await expect(attempt).rejects.toMatchObject({ issues: [{ path: 'snapshotId' }] });
  });

  it('makes a slice from an available snapshot of the same region', async () => {
    const { ports } = given;
    const snapshot = await aStoredSnapshot({ sizeBytes: 7 * BYTES_PER_GIB });

    const { slice, operation } = await createSlice(ports, {
      accountId: ACCOUNT,
      name: 'copy',
      region: 'fra1',
      diskGB: 50,
      snapshotId: snapshot.id,
    });

    expect(slice).toMatchObject({ fromSnapshotId: snapshot.id, usedBytes: 7 * BYTES_PER_GIB });
    expect(operation.progress.bytesTotal).toBe(7 * BYTES_PER_GIB);
    expect(ports.workflows.started[0]?.input.snapshotId).toBe(snapshot.id);
  });

  it('refuses a snapshot that is missing, of another account, not available, elsewhere or too big', async () => {
    const { ports } = given;
    const foreign = await aStoredSnapshot({ accountId: 'acct-2' });
    const uploading = await aStoredSnapshot({ status: 'uploading' });
    const available = await aStoredSnapshot();
    const base = { accountId: ACCOUNT, name: 'copy', region: 'fra1', diskGB: 50 };

    const cases = [
      [{ ...base, snapshotId: ports.ids.next('snapshot') }, SnapshotNotFoundError],
      [{ ...base, snapshotId: foreign.id }, SnapshotNotFoundError],
      [{ ...base, snapshotId: uploading.id }, SnapshotNotAvailableError],
      [{ ...base, snapshotId: available.id, region: 'nyc1' }, SnapshotRegionMismatchError],
      [{ ...base, snapshotId: available.id, diskGB: 49 }, DiskTooSmallError],
    ] as const;

    for (const [input, error] of cases) {
      await expect(createSlice(ports, input)).rejects.toBeInstanceOf(error);
    }
    expect((await ports.slices.list(ACCOUNT, {}, { limit: 10 })).items).toEqual([]);
  });

  it('marks the slice and its operation failed when the workflow cannot start', async () => {
    const { ports } = given;
    const failing = { ...ports, workflows: STEP_FUNCTIONS_DOWN };

    const attempt = createSlice(failing, A_SMALL_SLICE);

    await expect(attempt).rejects.toThrow('Step Functions is down');
    const [slice] = (await ports.slices.list(ACCOUNT, {}, { limit: 10 })).items;
    const [operation] = (await ports.operations.list(ACCOUNT, { limit: 10 })).items;
    expect(slice).toMatchObject({ status: 'error', error: { code: 'WORKFLOW_START_FAILED' } });
    expect(operation).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_START_FAILED' } });
  });
});
