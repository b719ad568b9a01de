import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { markSnapshotRecovered, type Snapshot } from '../snapshots/snapshot.ts';
import { SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';
import { snapshotRecoveredEvent } from '../snapshots/snapshot-events.ts';
import { changeSnapshot } from './get-snapshot.ts';
import { resumeBilling } from './resume-billing.ts';

/**
 * `POST /v1/snapshots/{id}/recover` makes a snapshot in the recycle bin `available` again, as it
 * went in, since its image was kept. `Snapshot Recovered` is written in the same write, and billing
 * starts again at this moment, so the time in the bin is never billed. A snapshot that is not in
 * the bin is SnapshotNotRecycledError, and a deleted one is not found.
 */
export async function recoverSnapshot(
  deps: Pick<Ports, 'snapshots' | 'usage' | 'clock'>,
  input: { accountId: string; snapshotId: string },
): Promise<Snapshot> {
  const { recycledAt, recovered } = await changeSnapshot(deps, input, async (current) => {
    if (current.status === 'deleted') throw new SnapshotNotFoundError(input.snapshotId);
    const recovered = markSnapshotRecovered(current, toIsoTime(deps.clock.now()));
    await deps.snapshots.update(current, recovered, {
      events: [snapshotRecoveredEvent(recovered)],
    });
    return { recycledAt: current.deletedAt, recovered };
  });
  // The period that ended when it went into the bin is closed first, in case that request stopped
  // before it could close it, so that no snapshot ever has two open periods.
  if (recycledAt !== null) await deps.usage.stop(input.accountId, recovered.id, recycledAt);
  await resumeBilling(deps, recovered, recovered.updatedAt);
  return recovered;
}
