import { describe, expect, it } from 'vitest';
import { SNAPSHOT_READER_EXPIRY_SECONDS } from '../../../../blueprint/facts.ts';
import {
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import {
  registerSnapshotReader,
  releaseSnapshotReader,
} from '../../../../core/use-cases/snapshot-readers.ts';
import { ACCOUNT, EIGHT_HOURS_LATER, givenPorts } from './support/given-ports.ts';
import {
  aFailedSnapshot,
  anAvailableSnapshot,
  aSliceWithASnapshot,
  snapshotsNotFound,
} from './support/use-case-steps.ts';

const given = givenPorts(aSliceWithASnapshot);

const restore = (operationId: string) => ({
  operationId,
  operationType: 'slice.restore' as const,
  sliceId: given.slice.id,
});

const readersOf = async (snapshotId = given.snapshot.id) =>
  (await given.ports.snapshots.get(ACCOUNT, snapshotId))?.readers;

describe('registerSnapshotReader', () => {
  it('records the operation as a reader until its workflow times out at the latest', async () => {
    const { ports, snapshot } = given;
    const read = await registerSnapshotReader(
      ports,
      { accountId: ACCOUNT, snapshotId: snapshot.id },
      restore('op_1'),
    );

    const reader = { ...restore('op_1'), until: EIGHT_HOURS_LATER };
    expect(read.readers).toEqual([reader]);
    expect(await readersOf()).toEqual([reader]);
  });

  it('changes nothing when the same operation registers again', async () => {
    const { ports, snapshot } = given;
    const input = { accountId: ACCOUNT, snapshotId: snapshot.id };
    await registerSnapshotReader(ports, input, restore('op_1'));
    ports.clock.advanceSeconds(60);

    await registerSnapshotReader(ports, input, restore('op_1'));

    expect(await readersOf()).toEqual([{ ...restore('op_1'), until: EIGHT_HOURS_LATER }]);
  });

  it('drops the readers that expired when another registers', async () => {
    const { ports, snapshot } = given;
    const input = { accountId: ACCOUNT, snapshotId: snapshot.id };
    await registerSnapshotReader(ports, input, restore('op_1'));
    await registerSnapshotReader(ports, input, restore('op_2'));
    ports.clock.advanceSeconds(SNAPSHOT_READER_EXPIRY_SECONDS);

    await registerSnapshotReader(ports, input, restore('op_3'));

    expect((await readersOf())?.map((reader) => reader.operationId)).toEqual(['op_3']);
  });

  it('refuses a snapshot that is not available', async () => {
    const { ports, slice } = given;
    const failed = await aFailedSnapshot(ports, slice);
    const deleting = await anAvailableSnapshot(ports, slice);
    await requestSnapshotDeletion(ports, {
      accountId: ACCOUNT,
      snapshotId: deleting.id,
      purge: true,
    });

    for (const snapshotId of [failed.id, deleting.id]) {
      await expect(
        registerSnapshotReader(ports, { accountId: ACCOUNT, snapshotId }, restore('op_1')),
      ).rejects.toThrow(SnapshotNotAvailableError);
    }

    expect(await readersOf(failed.id)).toEqual([]);
    expect(await readersOf(deleting.id)).toEqual([]);
  });

  it('does not find a deleted snapshot, an unknown one or one of another account', async () => {
    const { ports, slice, snapshot } = given;
    const notFound = await snapshotsNotFound(ports, slice, snapshot);

    for (const input of notFound) {
      await expect(registerSnapshotReader(ports, input, restore('op_1'))).rejects.toThrow(
        SnapshotNotFoundError,
      );
    }

    expect(await readersOf()).toEqual([]);
  });
});

describe('releaseSnapshotReader', () => {
  it('removes the operation from the readers and leaves the others', async () => {
    const { ports, snapshot } = given;
    const input = { accountId: ACCOUNT, snapshotId: snapshot.id };
    await registerSnapshotReader(ports, input, restore('op_1'));
    await registerSnapshotReader(ports, input, restore('op_2'));

    await releaseSnapshotReader(ports, { ...input, operationId: 'op_1' });

    expect((await readersOf())?.map((reader) => reader.operationId)).toEqual(['op_2']);
  });

  it('lets the snapshot be deleted once its last reader is released', async () => {
    const { ports, snapshot } = given;
    const input = { accountId: ACCOUNT, snapshotId: snapshot.id };
    await registerSnapshotReader(ports, input, restore('op_1'));

    await releaseSnapshotReader(ports, { ...input, operationId: 'op_1' });

    await expect(requestSnapshotDeletion(ports, { ...input, purge: true })).resolves.toMatchObject({
      operation: { type: 'snapshot.delete' },
    });
  });

  it('changes nothing when released twice, or for a snapshot it never read or that is missing', async () => {
    const { ports, snapshot } = given;
    const input = { accountId: ACCOUNT, snapshotId: snapshot.id };
    await registerSnapshotReader(ports, input, restore('op_1'));
    await releaseSnapshotReader(ports, { ...input, operationId: 'op_1' });
    const released = await ports.snapshots.get(ACCOUNT, snapshot.id);

    await releaseSnapshotReader(ports, { ...input, operationId: 'op_1' });
    await releaseSnapshotReader(ports, { ...input, operationId: 'op_never' });
    await releaseSnapshotReader(ports, {
      accountId: ACCOUNT,
      snapshotId: ports.ids.next('snapshot'),
      operationId: 'op_1',
    });

    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(released);
  });
});
