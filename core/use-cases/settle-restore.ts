import type { Ports } from '../ports/ports.ts';
import { finishCommittedRestore, type RestoreStepInput } from './complete-restore.ts';
import { getSlice } from './get-slice.ts';

/**
 * After `CompleteRestore` failed: whether the restore was committed anyway (its lock, which only
 * the commit or the failure gives back, is no longer held). A committed restore is finished and
 * must not be rolled back; one not committed is compensated by the workflow.
 */
export async function settleRestore(
  deps: Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'clock'>,
  input: RestoreStepInput,
): Promise<{ readonly committed: boolean }> {
  const slice = await getSlice(deps, input);
  if (slice.lock?.operationId === input.operationId) return { committed: false };
  await finishCommittedRestore(deps, input);
  return { committed: true };
}
