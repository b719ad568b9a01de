import { describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import { SliceNotPlacedError } from '../../../../core/hosts/host-errors.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import { completeSliceBuild } from '../../../../core/use-cases/complete-slice-build.ts';
import { ACCOUNT, givenPorts, FIVE_SECONDS_LATER as LATER } from './support/given-ports.ts';
import { expectEmittedOnceWhenRunTwice, expectOperationSucceeded } from './support/outcomes.ts';
import { thenClockAt } from './support/set-ups.ts';
import { aSliceBeingBuilt } from './support/use-case-steps.ts';

describe('completeSliceBuild', () => {
  const given = givenPorts(thenClockAt(LATER, aSliceBeingBuilt));

  const input = () => ({ ...given.step, power: 'on' as const });

  it('makes the slice active in its power state and succeeds its operation', async () => {
    const { ports, slice, operation } = given;
    const completed = await completeSliceBuild(ports, input());

    expect(completed).toMatchObject({ status: 'active', power: 'on', hostId: 'fra1-a' });
    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(completed);
    await expectOperationSucceeded(ports, operation.id, LATER);
  });

  it('emits Slice Created with the account and the ids involved', async () => {
    const { ports, slice, operation } = given;
    await completeSliceBuild(ports, input());

    expect(ports.events.published).toEqual([
      {
        detailType: EVENT.sliceCreated,
        detail: expect.objectContaining({
          accountId: ACCOUNT,
          sliceId: slice.id,
          operationId: operation.id,
          region: 'fra1',
        }),
      },
    ]);
  });

  it('emits Slice Created once when the step is retried', async () => {
    const { ports } = given;

    const { again } = await expectEmittedOnceWhenRunTwice(ports, EVENT.sliceCreated, () =>
      completeSliceBuild(ports, input()),
    );

    expect(again.status).toBe('active');
  });

  it('finishes the operation and emits the event when an earlier try activated the slice only', async () => {
    const { ports, slice, operation } = given;
    const stored = (await ports.slices.get(ACCOUNT, slice.id)) as Slice;
    await ports.slices.update(stored, { ...stored, status: 'active', power: 'on' });

    await completeSliceBuild(ports, input());

    expect((await ports.operations.get(ACCOUNT, operation.id))?.status).toBe('succeeded');
    expect(ports.events.published.map((event) => event.detailType)).toEqual([EVENT.sliceCreated]);
  });

  it('leaves a built slice that another operation has locked since: a retry changes nothing', async () => {
    const { ports, slice } = given;
    await completeSliceBuild(ports, input());
    // The operation succeeded with the first try, so a snapshot may lock the slice at once.
    const locked = await ports.slices.acquireLock({
      accountId: ACCOUNT,
      sliceId: slice.id,
      operationId: 'op_snapshot',
      operationType: 'snapshot.create',
      now: LATER,
    });

    const again = await completeSliceBuild(ports, input());

    expect(again).toEqual(locked);
    expect(await ports.slices.get(ACCOUNT, slice.id)).toEqual(locked);
    expect(ports.events.published.map((event) => event.detailType)).toEqual([EVENT.sliceCreated]);
  });

  it('refuses a slice that was never placed on a host', async () => {
    const { ports, slice } = given;
    const stored = (await ports.slices.get(ACCOUNT, slice.id)) as Slice;
    await ports.slices.update(stored, { ...stored, hostId: null });

    await expect(completeSliceBuild(ports, input())).rejects.toThrow(SliceNotPlacedError);
    expect(ports.events.published).toEqual([]);
  });
});
