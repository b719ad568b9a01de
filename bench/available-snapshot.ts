import { manifestKeyOf } from '../blueprint/facts.ts';
import {
  markAvailable,
  markCaptured,
  newSnapshot,
  type Snapshot,
  startCapture,
} from '../core/snapshots/snapshot.ts';

/**
 * An available snapshot record, as the create-snapshot workflow leaves it: taken at `now` of a
 * slice powered off (powered-off consistency) or running (crash-consistent), its image
 * `sizeBytes` under the snapshot's own manifest key.
 */
export function availableSnapshot(
  input: Parameters<typeof newSnapshot>[0] & { readonly sizeBytes: number },
): Snapshot {
  const { now, sizeBytes } = input;
  const pending = newSnapshot(input);
  const captured = markCaptured(
    startCapture(pending, now),
    input.powerOff
      ? { consistency: 'powered-off', poweredOffAt: now }
      : { consistency: 'crash-consistent', poweredOffAt: null },
    now,
  );
  const manifestKey = manifestKeyOf(input.accountId, input.id);
  return markAvailable(captured, { sizeBytes, manifestKey }, now);
}
