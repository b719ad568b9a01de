import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { newOperation } from '../../../../core/operations/operation.ts';
import { OperationNotFoundError } from '../../../../core/operations/operation-errors.ts';
import { UnknownRegionError } from '../../../../core/regions/region-errors.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { InvalidCursorError } from '../../../../core/shared/persistence-errors.ts';
import { SliceNotFoundError } from '../../../../core/slices/slice-errors.ts';
import { newSnapshot, type Snapshot } from '../../../../core/snapshots/snapshot.ts';
import { SnapshotNotFoundError } from '../../../../core/snapshots/snapshot-errors.ts';
import { createSlice } from '../../../../core/use-cases/create-slice.ts';
import { getOperation } from '../../../../core/use-cases/get-operation.ts';
import { getSlice } from '../../../../core/use-cases/get-slice.ts';
import { getSnapshot } from '../../../../core/use-cases/get-snapshot.ts';
import { listOperations } from '../../../../core/use-cases/list-operations.ts';
import { listRegions } from '../../../../core/use-cases/list-regions.ts';
import { listSlices } from '../../../../core/use-cases/list-slices.ts';
import { listSnapshots } from '../../../../core/use-cases/list-snapshots.ts';
import { NOW } from './support/given-ports.ts';

const ACCOUNT = 'acct-1';
const OTHER = 'acct-2';

let ports: MemoryPorts;

beforeEach(() => {
  ports = createMemoryPorts({ now: NOW });
});

/**
 * Checks that `read` answers `record` to its account, and refuses it to another account and an id
 * of no record (`unknownId`) with `notFound`.
 */
async function expectReadByItsAccountOnly<T extends { id: string }>(
  read: (accountId: string, id: string) => Promise<T>,
  record: T,
  unknownId: string,
  notFound: new (...args: never[]) => Error,
): Promise<void> {
  expect(await read(ACCOUNT, record.id)).toEqual(record);
  await expect(read(OTHER, record.id)).rejects.toBeInstanceOf(notFound);
  await expect(read(ACCOUNT, unknownId)).rejects.toBeInstanceOf(notFound);
}

async function aSnapshot(
  accountId: string,
  slice: { id: string; region: string },
): Promise<Snapshot> {
  const snapshot = newSnapshot({
    id: ports.ids.next('snapshot'),
    accountId,
    name: 'nightly',
    slice: { ...slice, name: 'web', diskBytes: 10, usedBytes: 5 },
    powerOff: false,
    now: NOW,
  });
  await ports.snapshots.create(snapshot);
  return snapshot;
}

describe('getSlice and listSlices', () => {
  it('reads the caller’s slice and hides another account’s or a malformed id', async () => {
    const { slice } = await createSlice(ports, {
      accountId: ACCOUNT,
      name: 'a',
      region: 'fra1',
      diskGB: 1,
    });

    await expectReadByItsAccountOnly(
      (accountId, sliceId) => getSlice(ports, { accountId, sliceId }),
      slice,
      'slc_nope',
      SliceNotFoundError,
    );
  });

  it('pages the caller’s slices newest first', async () => {
    const names = ['a', 'b', 'c'];
    for (const name of names) {
      await createSlice(ports, { accountId: ACCOUNT, name, region: 'fra1', diskGB: 1 });
    }

    const first = await listSlices(ports, { accountId: ACCOUNT, limit: 2 });
    const second = await listSlices(ports, {
      accountId: ACCOUNT,
      limit: 2,
      cursor: first.nextCursor,
    });

    expect(first.items.map((slice) => slice.name)).toEqual(['c', 'b']);
    expect(second.items.map((slice) => slice.name)).toEqual(['a']);
    expect(second.nextCursor).toBeNull();
    await expect(
      listSlices(ports, { accountId: OTHER, cursor: first.nextCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('refuses a limit out of range', async () => {
    await expect(listSlices(ports, { accountId: ACCOUNT, limit: 101 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});

describe('getSnapshot and listSnapshots', () => {
  it('reads the caller’s snapshot and hides another account’s or a malformed id', async () => {
    const snapshot = await aSnapshot(ACCOUNT, { id: ports.ids.next('slice'), region: 'fra1' });

    await expectReadByItsAccountOnly(
      (accountId, snapshotId) => getSnapshot(ports, { accountId, snapshotId }),
      snapshot,
      'op_01JNZ5Y1Q0000000000000000A',
      SnapshotNotFoundError,
    );
  });

  it('filters by region and slice', async () => {
    const fraSlice = { id: ports.ids.next('slice'), region: 'fra1' };
    const nycSlice = { id: ports.ids.next('slice'), region: 'nyc1' };
    const fra = await aSnapshot(ACCOUNT, fraSlice);
    const nyc = await aSnapshot(ACCOUNT, nycSlice);
    await aSnapshot(OTHER, fraSlice);

    const all = await listSnapshots(ports, { accountId: ACCOUNT });
    const inNyc = await listSnapshots(ports, { accountId: ACCOUNT, region: 'nyc1' });
    const ofFraSlice = await listSnapshots(ports, { accountId: ACCOUNT, sliceId: fraSlice.id });

    expect(all.items.map((each) => each.id)).toEqual([nyc.id, fra.id]);
    expect(inNyc.items.map((each) => each.id)).toEqual([nyc.id]);
    expect(ofFraSlice.items.map((each) => each.id)).toEqual([fra.id]);
  });

  it('refuses an unknown region and a malformed slice id', async () => {
    await expect(
      listSnapshots(ports, { accountId: ACCOUNT, region: 'mars' }),
    ).rejects.toBeInstanceOf(UnknownRegionError);
    await expect(
      listSnapshots(ports, { accountId: ACCOUNT, sliceId: 'snp_01JNZ5Y1Q0000000000000000A' }),
    ).rejects.toMatchObject({ issues: [{ path: 'sliceId' }] });
  });
});

describe('getOperation', () => {
  it('reads the caller’s operation and hides another account’s', async () => {
    const operation = newOperation({
      id: ports.ids.next('operation'),
      accountId: ACCOUNT,
      type: 'slice.power',
      resourceId: 'slc_1',
      now: NOW,
    });
    await ports.operations.create(operation);

    await expectReadByItsAccountOnly(
      (accountId, operationId) => getOperation(ports, { accountId, operationId }),
      operation,
      'op_x',
      OperationNotFoundError,
    );
  });
});

describe('listOperations', () => {
  it('pages the caller’s operations newest first and leaves out another account’s', async () => {
    const started: string[] = [];
    for (const accountId of [ACCOUNT, OTHER, ACCOUNT, ACCOUNT]) {
      const operation = newOperation({
        id: ports.ids.next('operation'),
        accountId,
        type: 'slice.power',
        resourceId: 'slc_1',
        now: NOW,
      });
      await ports.operations.create(operation);
      if (accountId === ACCOUNT) started.push(operation.id);
    }

    const first = await listOperations(ports, { accountId: ACCOUNT, limit: 2 });
    const second = await listOperations(ports, {
      accountId: ACCOUNT,
      limit: 2,
      cursor: first.nextCursor,
    });

    expect([...first.items, ...second.items].map((each) => each.id)).toEqual(
      [...started].reverse(),
    );
    expect(second.nextCursor).toBeNull();
  });
});

describe('listRegions', () => {
  it('lists the configured regions in order', async () => {
    expect(await listRegions(ports)).toEqual([
      { id: 'fra1', name: 'Frankfurt 1' },
      { id: 'nyc1', name: 'New York 1' },
    ]);
  });
});
