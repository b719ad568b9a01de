import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { recordVerification, type Snapshot } from '../snapshots/snapshot.ts';
import { snapshotCorruptEvent } from '../snapshots/snapshot-events.ts';
import { finishOperation } from './finish-operation.ts';
import { changeSnapshot } from './get-snapshot.ts';
import type { SnapshotStepIds } from './snapshot-step-ids.ts';
import type { VerificationFindings } from './verify-snapshot-chunks.ts';

/** verify-snapshot's last step: the snapshot, its operation and what the chunks' reading found. */
export interface CompleteVerificationInput extends SnapshotStepIds, VerificationFindings {}

/**
 * verify-snapshot's `CompleteVerification` records what reading every chunk back found:
 * `verifyState` `ok`, or `corrupt` with `Snapshot Corrupt` in the same write (so a restore refuses
 * it from then on), and `verifiedAt`; then the operation succeeds. A snapshot whose deletion has
 * begun meanwhile is left as it is (SnapshotBeingDeletedError). Running it again writes the same
 * state, and the event once (its id is the operation's).
 */
export async function completeSnapshotVerification(
  deps: Pick<Ports, 'snapshots' | 'operations' | 'clock'>,
  input: CompleteVerificationInput,
): Promise<Snapshot> {
  const verified = await changeSnapshot(deps, input, async (snapshot) => {
    const corrupt = input.damagedChunks > 0 || input.manifestDamaged;
    const next = recordVerification(snapshot, { corrupt }, toIsoTime(deps.clock.now()));
    await deps.snapshots.update(snapshot, next, {
      events: corrupt ? [snapshotCorruptEvent(next, input.operationId, input)] : [],
    });
    return next;
  });
  await finishOperation(deps, input, { error: null }, null);
  return verified;
}
