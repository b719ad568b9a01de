import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { UnknownRegionError } from '../../../../core/regions/region-errors.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { newSnapshot, type Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  DiskTooSmallError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotRegionMismatchError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { createSlice } from '../../../../core/use-cases/create-slice.ts';

const ACCOUNT = 'acct-1';
const NOW = '2025-03-01T10:00:00.000Z';

describe('createSlice', () => {
  let ports: MemoryPorts;

  beforeEach(() => {
    ports = createMemoryPorts({ now: NOW });
  });

  async function anAvailableSnapshot(overrides: Partial<Snapshot> = {}): Promise<Snapshot> {
    const snapshot: Snapshot = {
      ...newSnapshot({
        id: ports.ids.next('snapshot'),
        accountId: ACCOUNT,
        name: 'golden',
        slice: {
          id: ports.ids.next('slice'),
          name: 'web-1',
          region: 'fra1',
          diskBytes: 50 * BYTES_PER_GIB,
          usedBytes: 7 * BYTES_PER_GIB,
        },
        powerOff: true,
        now: NOW,
      }),
      status: 'available',
      completedAt: NOW,
      ...overrides,
    };
    await ports.snapshots.create(snapshot);
    return snapshot;
  }

  it('creates a building slice, a running operation and starts the create-slice workflow', async () => {
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
      type: 'slice.create',
      status: 'running',
      resourceType: 'slice',
      resourceId: slice.id,
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
    const attempt = createSlice(ports, {
      accountId: ACCOUNT,
      name: 'a',
      region: 'mars',
      diskGB: 1,
    });

    await expect(attempt).rejects.toBeInstanceOf(UnknownRegionError);
    await expect(attempt).rejects.toMatchObject({ code: 'UNKNOWN_REGION' });
  });

  it('refuses a snapshot id of the wrong shape', async () => {
    const attempt = createSlice(ports, {
      accountId: ACCOUNT,
      name: 'a',
      region: 'fra1',
      diskGB: 1,
      snapshotId: 'slc_01JNZ5Y1Q0000000000000000A',
    });

    await expect(attempt).rejects.toMatchObject({ issues: [{ path: 'snapshotId' }] });
  });

  it('makes a slice from an available snapshot of the same region', async () => {
    const snapshot = await anAvailableSnapshot({ sizeBytes: 7 * BYTES_PER_GIB });

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
    const foreign = await anAvailableSnapshot({ accountId: 'acct-2' });
    const uploading = await anAvailableSnapshot({ status: 'uploading' });
    const available = await anAvailableSnapshot();
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
    const failing = {
      ...ports,
      workflows: {
        start: async () => {
          throw new Error('state machine unreachable');
        },
        describe: async () => ({ status: 'MISSING' as const, input: null }),
      },
    };

    const attempt = createSlice(failing, {
      accountId: ACCOUNT,
      name: 'a',
      region: 'fra1',
      diskGB: 1,
    });

    await expect(attempt).rejects.toThrow('state machine unreachable');
    const [slice] = (await ports.slices.list(ACCOUNT, {}, { limit: 10 })).items;
    const [operation] = (await ports.operations.list(ACCOUNT, { limit: 10 })).items;
    expect(slice).toMatchObject({ status: 'error', error: { code: 'WORKFLOW_START_FAILED' } });
    expect(operation).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_START_FAILED' } });
  });
});
