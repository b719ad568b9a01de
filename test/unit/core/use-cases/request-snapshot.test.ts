import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceNotFoundError,
} from '../../../../core/slices/slice-errors.ts';
import { requestSnapshot } from '../../../../core/use-cases/request-snapshot.ts';
import { expectSliceFree } from './support/expectations.ts';
import { STEP_FUNCTIONS_DOWN } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts, NOW } from './support/given-ports.ts';
import { expectSliceTakenBy } from './support/outcomes.ts';
import { anActiveSlice, slicesNotFound } from './support/use-case-steps.ts';

const NOW_SECONDS = Date.parse(NOW) / 1000;

describe('requestSnapshot', () => {
  const given = givenPorts();

  it('answers a pending snapshot and a running operation, the slice locked and the workflow started', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { usedBytes: 3000 });

    const { snapshot, operation } = await requestSnapshot(ports, {
      accountId: ACCOUNT,
      sliceId: slice.id,
      name: ' before upgrade ',
      powerOff: false,
    });

    expect(snapshot).toMatchObject({
      name: 'before upgrade',
      status: 'pending',
      sliceId: slice.id,
      sliceName: 'web-1',
      powerOff: false,
      sizeBytes: 3000,
      progress: { bytesDone: 0, bytesTotal: 3000 },
    });
    expect(await ports.snapshots.get(ACCOUNT, snapshot.id)).toEqual(snapshot);
    await expectSliceTakenBy(ports, slice.id, operation, {
      type: 'snapshot.create',
      resource: ['snapshot', snapshot.id],
      workflow: 'create-snapshot',
      input: {
        accountId: ACCOUNT,
        sliceId: slice.id,
        snapshotId: snapshot.id,
        operationId: operation.id,
      },
    });
    expect(ports.events.published).toEqual([
      {
        detailType: EVENT.snapshotRequested,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          snapshotId: snapshot.id,
          sliceId: slice.id,
          operationId: operation.id,
        }),
      },
    ]);
  });

  it('names the snapshot after its slice and the time, and powers off by default', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports, { name: 'db-primary' });

    const { snapshot } = await requestSnapshot(ports, { accountId: ACCOUNT, sliceId: slice.id });

    expect(snapshot.name).toBe(`db-primary-${NOW_SECONDS}`);
    expect(snapshot.powerOff).toBe(true);
  });

  it('refuses a second snapshot while the slice is busy, naming the operation in the way', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);
    const first = await requestSnapshot(ports, { accountId: ACCOUNT, sliceId: slice.id });

    const second = requestSnapshot(ports, { accountId: ACCOUNT, sliceId: slice.id });

    await expect(second).rejects.toBeInstanceOf(SliceBusyError);
    await expect(second).rejects.toThrow(first.operation.id);
    expect(ports.workflows.started).toHaveLength(1);
  });

  it('does not find a deleted slice, an unknown one or one of another account', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);

    for (const input of await slicesNotFound(ports, slice)) {
      await expect(requestSnapshot(ports, input)).rejects.toBeInstanceOf(SliceNotFoundError);
    }
    expect(ports.events.published).toEqual([]);
  });

  it('refuses a slice that is still being built', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);
    await ports.slices.update(slice, { ...slice, status: 'building' });

    await expect(
      requestSnapshot(ports, { accountId: ACCOUNT, sliceId: slice.id }),
    ).rejects.toBeInstanceOf(IllegalSliceTransitionError);
  });

  it('refuses an invalid name before taking the lock', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);

    await expect(
      requestSnapshot(ports, { accountId: ACCOUNT, sliceId: slice.id, name: '   ' }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await ports.slices.get(ACCOUNT, slice.id)).toMatchObject({ status: 'active' });
  });

  it('gives the lock back and fails both records when the workflow cannot start', async () => {
    const { ports } = given;
    const slice = await anActiveSlice(ports);
    const down = STEP_FUNCTIONS_DOWN;

    const requested = requestSnapshot(
      { ...ports, workflows: down },
      { accountId: ACCOUNT, sliceId: slice.id },
    );

    await expect(requested).rejects.toThrow('Step Functions is down');
    await expectSliceFree(ports, slice.id);
    const [snapshot] = (await ports.snapshots.list(ACCOUNT, {}, { limit: 10 })).items;
    const [operation] = (await ports.operations.list(ACCOUNT, { limit: 10 })).items;
    const failure = { code: 'WORKFLOW_START_FAILED', message: expect.any(String) };
    expect(snapshot).toMatchObject({ status: 'failed', error: failure });
    expect(operation).toMatchObject({ status: 'failed', error: failure });
    expect(ports.events.published.map((event) => event.detailType)).toEqual([
      EVENT.snapshotRequested,
      EVENT.snapshotFailed,
    ]);
  });
});
