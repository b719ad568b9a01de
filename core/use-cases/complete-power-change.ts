import { EVENT } from '../events/event-types.ts';
import type { Ports } from '../ports/ports.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { changeSlicePower, unlockSlice } from '../slices/slice.ts';
import type { PowerState } from '../slices/slice-status.ts';
import type { SliceStepInput } from './confirm-slice-lock.ts';
import { getSlice } from './get-slice.ts';
import { settleOperation } from './settle-operation.ts';

/**
 * change-slice-power's `CompletePowerChange`: the power state the host reported recorded and the
 * lock given back in one write, the operation succeeded, and `Slice Power Changed` when the state
 * did change. Retries repeat nothing.
 */
export async function completePowerChange(
  deps: Pick<Ports, 'slices' | 'operations' | 'events' | 'clock'>,
  input: SliceStepInput & { readonly power: PowerState },
): Promise<{ readonly previousPower: PowerState | null }> {
  const previousPower = await retryOnConflict(async () => {
    const slice = await getSlice(deps, input);
    if (slice.lock?.operationId !== input.operationId) return null;
    const now = toIsoTime(deps.clock.now());
    const powered = changeSlicePower(slice, input.operationId, input.power, now);
    await deps.slices.update(slice, unlockSlice(powered, input.operationId, now));
    return slice.lock.power;
  });
  const changed = previousPower !== null && previousPower !== input.power;
  await settleOperation(
    deps,
    input,
    { error: null },
    changed
      ? {
          detailType: EVENT.slicePowerChanged,
          detail: {
            accountId: input.accountId,
            sliceId: input.sliceId,
            operationId: input.operationId,
            power: input.power,
            previousPower,
          },
        }
      : null,
  );
  return { previousPower };
}
