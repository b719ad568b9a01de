import { describe, expect, it } from 'vitest';
import { SnapshotInUseError } from '../../../../core/snapshots/snapshot-errors.ts';
import { completeSliceBuild } from '../../../../core/use-cases/complete-slice-build.ts';
import { createSlice } from '../../../../core/use-cases/create-slice.ts';
import { failSliceCreation } from '../../../../core/use-cases/fail-slice-creation.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { STEP_FUNCTIONS_DOWN } from './support/failing-ports.ts';
import { ACCOUNT, EIGHT_HOURS_LATER, givenPorts, HOST } from './support/given-ports.ts';
import { aRequestedRestore, aSliceWithASnapshot } from './support/use-case-steps.ts';
import { AGENT_UNREACHABLE } from './support/workflow-errors.ts';

const LATER = '2025-03-01T10:10:00.000Z';

const given = givenPorts(aSliceWithASnapshot);

/** A slice made from the snapshot, placed on HOST as the create-slice workflow would. */
async function aSliceFromTheSnapshot() {
  const { ports, snapshot } = given;
  const created = await createSlice(ports, {
    accountId: ACCOUNT,
    name: 'copy',
    region: 'fra1',
    diskGB: 10,
    snapshotId: snapshot.id,
  });
  await ports.slices.update(created.slice, { ...created.slice, hostId: HOST });
  await ports.hostLoad.claim(HOST, created.slice.id);
  ports.clock.set(LATER);
  return {
    accountId: ACCOUNT,
    sliceId: created.slice.id,
    operationId: created.operation.id,
  };
}

const readersOf = async () =>
  (await given.ports.snapshots.get(ACCOUNT, given.snapshot.id))?.readers;

const deleteTheSnapshot = () =>
  requestSnapshotDeletion(given.ports, {
    accountId: ACCOUNT,
    snapshotId: given.snapshot.id,
    purge: true,
  });

describe('createSlice', () => {
  it('registers the new slice as a reader of its snapshot, which then cannot be deleted', async () => {
    const { ports, snapshot } = given;
    const { slice, operation } = await createSlice(ports, {
      accountId: ACCOUNT,
      name: 'copy',
      region: 'fra1',
      diskGB: 10,
      snapshotId: snapshot.id,
    });

    expect(await readersOf()).toEqual([
      {
        operationId: operation.id,
        operationType: 'slice.create',
        sliceId: slice.id,
        until: EIGHT_HOURS_LATER,
      },
    ]);
    const deletion = deleteTheSnapshot();
    await expect(deletion).rejects.toThrow(SnapshotInUseError);
    await expect(deletion).rejects.toThrow(operation.id);
  });

  it('registers no reader for a blank slice', async () => {
    const { ports } = given;
    await createSlice(ports, { accountId: ACCOUNT, name: 'blank', region: 'fra1', diskGB: 10 });

    expect(await readersOf()).toEqual([]);
  });

  it('releases the snapshot when the workflow cannot start', async () => {
    const { ports, snapshot } = given;
    const down = STEP_FUNCTIONS_DOWN;

    const attempt = createSlice(
      { ...ports, workflows: down },
      { accountId: ACCOUNT, name: 'copy', region: 'fra1', diskGB: 10, snapshotId: snapshot.id },
    );

    await expect(attempt).rejects.toThrow('Step Functions is down');
    expect(await readersOf()).toEqual([]);
  });
});

describe('completeSliceBuild', () => {
  it('releases the snapshot the slice was made from, which can then be deleted', async () => {
    const { ports } = given;
    const build = await aSliceFromTheSnapshot();

    await completeSliceBuild(ports, { ...build, power: 'on' });

    expect(await readersOf()).toEqual([]);
    await expect(deleteTheSnapshot()).resolves.toMatchObject({
      operation: { type: 'snapshot.delete' },
    });
  });

  it('leaves the other readers of the snapshot', async () => {
    const { ports, snapshot } = given;
    const build = await aSliceFromTheSnapshot();
    const restore = await aRequestedRestore(ports, snapshot);

    await completeSliceBuild(ports, { ...build, power: 'on' });

    expect((await readersOf())?.map((reader) => reader.operationId)).toEqual([restore.operationId]);
    await expect(deleteTheSnapshot()).rejects.toThrow(SnapshotInUseError);
  });
});

describe('failSliceCreation', () => {
  it('releases the snapshot the slice was made from, which can then be deleted', async () => {
    const { ports } = given;
    const build = await aSliceFromTheSnapshot();

    await failSliceCreation(ports, { ...build, error: AGENT_UNREACHABLE });

    expect(await readersOf()).toEqual([]);
    await expect(deleteTheSnapshot()).resolves.toMatchObject({
      operation: { type: 'snapshot.delete' },
    });
  });
});
