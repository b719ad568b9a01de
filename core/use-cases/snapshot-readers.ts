import { SNAPSHOT_READER_EXPIRY_SECONDS } from '../../blueprint/facts.ts';
import type { Ports } from '../ports/ports.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import type { Slice } from '../slices/slice.ts';
import {
  addSnapshotReader,
  removeSnapshotReader,
  type Snapshot,
  type SnapshotReader,
} from '../snapshots/snapshot.ts';
import { SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';
import { changeSnapshot } from './get-snapshot.ts';

type Deps = Pick<Ports, 'snapshots' | 'clock'>;

/**
 * Registers `operation` as a reader of an available snapshot, for as long as its workflow may run:
 * from then on the snapshot cannot be deleted until the reader is released. A deleted snapshot is
 * SnapshotNotFoundError, one not available SnapshotNotAvailableError. Answers the snapshot.
 */
export async function registerSnapshotReader(
  deps: Deps,
  input: { accountId: string; snapshotId: string },
  operation: Omit<SnapshotReader, 'until'>,
  options: { readonly fromRecycleBin?: boolean | undefined } = {},
): Promise<Snapshot> {
  return changeSnapshot(deps, input, async (current) => {
    if (current.status === 'deleted') throw new SnapshotNotFoundError(input.snapshotId);
    const now = deps.clock.now();
    const until = new Date(now.getTime() + SNAPSHOT_READER_EXPIRY_SECONDS * 1000);
    const read = addSnapshotReader(
      current,
      { ...operation, until: toIsoTime(until) },
      toIsoTime(now),
      { fromRecycleBin: options.fromRecycleBin === true },
    );
    if (read !== current) await deps.snapshots.update(current, read);
    return read;
  });
}

/** The operation no longer reads the snapshot; releasing twice, or a missing snapshot, is fine. */
export async function releaseSnapshotReader(
  deps: Deps,
  input: { accountId: string; snapshotId: string; operationId: string },
): Promise<void> {
  await retryOnConflict(async () => {
    const current = await deps.snapshots.get(input.accountId, input.snapshotId);
    if (!current) return;
    const released = removeSnapshotReader(current, input.operationId, toIsoTime(deps.clock.now()));
    if (released !== current) await deps.snapshots.update(current, released);
  });
}

/** A slice made from a snapshot stops reading it once its build has ended, either way. */
export async function releaseSourceSnapshot(
  deps: Deps,
  slice: Slice,
  operationId: string,
): Promise<void> {
  if (slice.fromSnapshotId === null) return;
  await releaseSnapshotReader(deps, {
    accountId: slice.accountId,
    snapshotId: slice.fromSnapshotId,
    operationId,
  });
}
