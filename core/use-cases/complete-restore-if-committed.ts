import type { Ports } from '../ports/ports.ts';
import { completeCommittedRestore, type RestoreStepInput } from './complete-restore.ts';
import { getSlice } from './get-slice.ts';

/**
 * After `CompleteRestore` failed, checks whether the restore was committed anyway: its lock, which
 * only the commit or the failure gives back, is no longer held. A committed restore is completed
 * here and must not be rolled back; one not committed is compensated by the workflow.
 */
export async function completeRestoreIfCommitted(
  deps: Pick<Ports, 'slices' | 'snapshots' | 'operations' | 'clock'>,
  input: RestoreStepInput,
): Promise<{ readonly committed: boolean }> {
  const slice = await getSlice(deps, input);
  if (slice.lock?.operationId === input.operationId) return { committed: false };
  await completeCommittedRestore(deps, input);
  return { committed: true };
}
