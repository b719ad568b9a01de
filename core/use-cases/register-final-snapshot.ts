import type { Ports } from '../ports/ports.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import { snapshotAvailableEvent } from '../snapshots/snapshot-events.ts';
import type { SnapshotStepInput } from './confirm-slice-lock-for-snapshot.ts';
import { getSnapshot } from './get-snapshot.ts';
import { storeAvailable, wholeImage } from './register-snapshot.ts';
import { startBilling } from './start-billing.ts';

type Deps = Pick<Ports, 'snapshots' | 'images' | 'usage' | 'clock'>;

/**
 * delete-slice's `RegisterFinalSnapshot`, once the slice's disk is uploaded and before it is
 * deleted. The image is checked whole (as any snapshot's registration checks it), and the snapshot
 * becomes `available` with `Snapshot Available`: an ordinary snapshot, billed from now on, that
 * outlives the slice. Unlike a snapshot's own workflow, the slice stays locked: its deletion goes
 * on. Retries repeat nothing. Answers the snapshot.
 */
export async function registerFinalSnapshot(
  deps: Deps,
  input: SnapshotStepInput,
): Promise<Snapshot> {
  const uploaded = await getSnapshot(deps, input);
  const available =
    uploaded.status === 'available'
      ? uploaded
      : await storeAvailable(deps, input, await wholeImage(deps, uploaded), {
          events: (available) => [snapshotAvailableEvent(available, input.operationId)],
        });
  await startBilling(deps, available);
  return available;
}
