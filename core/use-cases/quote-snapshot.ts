import { SliceNotPlacedError, UnknownHostError } from '../hosts/host-errors.ts';
import type { Ports } from '../ports/ports.ts';
import { IllegalSliceTransitionError } from '../slices/slice-errors.ts';
import {
  type DiskMeasurement,
  quoteSnapshot as quote,
  type SnapshotQuote,
} from '../snapshots/snapshot-quote.ts';
import { baseSnapshotsOf } from './confirm-slice-lock-for-snapshot.ts';
import { getSlice } from './get-slice.ts';

/**
 * `GET /v1/slices/{id}/snapshot-quote`: what a snapshot of the caller's slice taken now would
 * hold, cost, upload and take, from its host's scan of the disk (holes skipped) and the host's
 * measured pace. Nothing changes: no lock, no record. A slice of another account is
 * SliceNotFoundError; one that is not active has no disk to scan yet (or any more).
 */
export async function quoteSnapshotOf(
  deps: Pick<Ports, 'slices' | 'snapshots' | 'hosts' | 'agents' | 'clock'>,
  input: { accountId: string; sliceId: string; powerOff: boolean },
): Promise<SnapshotQuote> {
  const slice = await getSlice(deps, input);
  if (slice.status !== 'active') {
    throw new IllegalSliceTransitionError(slice.id, slice.status, 'active');
  }
  if (slice.hostId === null) throw new SliceNotPlacedError(slice.id);
  const host = await deps.hosts.get(slice.hostId);
  if (host === null) throw new UnknownHostError(slice.hostId);
  const baseSnapshotIds = await baseSnapshotsOf(deps, slice);
  const measured = await deps.agents.run(host, {
    sliceId: slice.id,
    commandId: `quote-${slice.id.replace(/_/g, '-')}-${deps.clock.now().getTime()}`,
    command: { type: 'quote', baseSnapshotIds },
  });
  return quote(diskMeasurementOf(measured), input.powerOff);
}

/** The agent's answer, read field by field: a number where one is due, else nothing measured. */
function diskMeasurementOf(answer: Readonly<Record<string, unknown>>): DiskMeasurement {
  const numberOr = (field: string): number | null => {
    const value = answer[field];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
  };
  const diskBytes = numberOr('diskBytes');
  const usedBytes = numberOr('usedBytes');
  if (diskBytes === null || usedBytes === null) {
    throw new Error(`the host's quote lacks the disk's sizes: ${JSON.stringify(answer)}`);
  }
  return {
    diskBytes,
    usedBytes,
    changedBytes: numberOr('changedBytes'),
    uploadBytesPerSecond: numberOr('uploadBytesPerSecond'),
    captureBytesPerSecond: numberOr('captureBytesPerSecond'),
    shutdownSeconds: numberOr('shutdownSeconds'),
  };
}
