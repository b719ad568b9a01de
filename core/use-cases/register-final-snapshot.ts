import type { Ports } from '../ports/ports.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { markAvailable, type Snapshot } from '../snapshots/snapshot.ts';
import { snapshotAvailableEvent } from '../snapshots/snapshot-events.ts';
import type { SnapshotStepInput } from './confirm-slice-lock-for-snapshot.ts';
import { getSnapshot } from './get-snapshot.ts';
import { wholeImage } from './register-snapshot.ts';
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
      : await makeAvailable(deps, input, await wholeImage(deps, uploaded));
  await startBilling(deps, available);
  return available;
}

async function makeAvailable(
  deps: Deps,
  input: SnapshotStepInput,
  image: Awaited<ReturnType<typeof wholeImage>>,
): Promise<Snapshot> {
  return retryOnConflict(async () => {
    const current = await getSnapshot(deps, input);
    if (current.status === 'available') return current;
    const available = markAvailable(
      current,
      { sizeBytes: image.usedBytes, manifestKey: image.manifestKey, diskBytes: image.diskBytes },
      toIsoTime(deps.clock.now()),
    );
    await deps.snapshots.update(current, available, {
      events: [snapshotAvailableEvent(available, input.operationId)],
    });
    return available;
  });
}
