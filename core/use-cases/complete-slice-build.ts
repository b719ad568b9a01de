import { SliceNotPlacedError } from '../hosts/host-errors.ts';
import { succeedOperation } from '../operations/operation.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { activateSlice, type Slice } from '../slices/slice.ts';
import { sliceCreatedEvent } from '../slices/slice-events.ts';
import type { PowerState } from '../slices/slice-status.ts';
import { getOperation } from './get-operation.ts';
import { changeSlice } from './get-slice.ts';
import { releaseSourceSnapshot } from './snapshot-readers.ts';

/** The slice whose build finished, its operation, and the power state its host reported. */
export interface CompleteSliceBuildInput {
  readonly accountId: string;
  readonly sliceId: string;
  readonly operationId: string;
  readonly power: PowerState;
}

/**
 * Ends a successful build. The slice becomes `active` in the power state its host reported, the
 * snapshot it was made from is no longer read, its operation succeeds and `Slice Created` is
 * emitted. The event is written with the operation's success (the outbox), so neither is stored
 * without the other. A retried call changes nothing that is done already and emits nothing more
 * once the operation has succeeded, even when the slice has moved on since (another operation's
 * lock, a deletion): failing the build then would take a slice in use.
 */
export async function completeSliceBuild(
  deps: Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'clock'>,
  input: CompleteSliceBuildInput,
): Promise<Slice> {
  const slice = await changeSlice(deps, input, async (current) => {
    // Built by an earlier try: the operation succeeded with it, so the slice may be busy under
    // another operation's lock, or deleted, by the time a retry comes. It is left as it is.
    if (current.status !== 'building' && current.status !== 'error') return current;
    if (current.hostId === null) throw new SliceNotPlacedError(current.id);
    const active = activateSlice(
      current,
      { hostId: current.hostId, power: input.power },
      toIsoTime(deps.clock.now()),
    );
    await deps.slices.update(current, active);
    return active;
  });
  await releaseSourceSnapshot(deps, slice, input.operationId);
  const operation = await getOperation(deps, input);
  if (operation.status === 'succeeded') return slice;
  const succeeded = succeedOperation(operation, toIsoTime(deps.clock.now()));
  await deps.operations.update(operation, succeeded, {
    events: [sliceCreatedEvent(slice, operation.id)],
  });
  return slice;
}
