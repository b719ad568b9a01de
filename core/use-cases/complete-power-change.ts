import { EVENT } from '../events/event-types.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { changeSlicePower, unlockSlice } from '../slices/slice.ts';
import type { PowerState } from '../slices/slice-status.ts';
import type { SliceStepInput } from './confirm-slice-lock.ts';
import { finishOperation } from './finish-operation.ts';
import { changeSlice } from './get-slice.ts';

/**
 * change-slice-power's `CompletePowerChange` records the power state the host reported and gives
 * the lock back in one write, then succeeds the operation. It emits `Slice Power Changed` when the
 * state did change from `previousPower`, the state when the lock was taken, which the workflow
 * keeps so that a retry after the lock is gone still knows it. Retries repeat nothing.
 */
export async function completePowerChange(
  deps: Pick<Ports, 'slices' | 'operations' | 'clock'>,
  input: SliceStepInput & { readonly power: PowerState; readonly previousPower: PowerState },
): Promise<{ readonly changed: boolean }> {
  await changeSlice(deps, input, async (slice) => {
    if (slice.lock?.operationId !== input.operationId) return;
    const now = toIsoTime(deps.clock.now());
    const powered = changeSlicePower(slice, input.operationId, input.power, now);
    await deps.slices.update(slice, unlockSlice(powered, input.operationId, now));
  });
  const { previousPower } = input;
  const changed = previousPower !== input.power;
  await finishOperation(
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
  return { changed };
}
