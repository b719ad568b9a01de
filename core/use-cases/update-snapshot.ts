import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { editSnapshot, type Snapshot } from '../snapshots/snapshot.ts';
import { SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';
import { snapshotRenamedEvent } from '../snapshots/snapshot-events.ts';
import { getSnapshot } from './get-snapshot.ts';
import { applyEdit, type ClientEdit } from './record-edit.ts';

/** What `PATCH /v1/snapshots/{id}` asks for; a field left out is left as it is. */
export interface UpdateSnapshotInput extends ClientEdit {
  readonly accountId: string;
  readonly snapshotId: string;
  readonly protected?: boolean;
}

/**
 * Changes a snapshot's name, labels (merged) or protection, in one conditional write. A new name
 * emits `Snapshot Renamed` in the same write; labels and protection have no event of their own in
 * the contract. A request that changes nothing writes nothing. A deleted snapshot is not found, one
 * being deleted is a conflict. Labels are merged on the labels as read and written only if they
 * are still so, and a race with another write (a progress heartbeat) is retried on fresh state:
 * no change is ever lost.
 */
export async function updateSnapshot(
  deps: Pick<Ports, 'snapshots' | 'clock'>,
  input: UpdateSnapshotInput,
): Promise<Snapshot> {
  return applyEdit(input, {
    read: async () => {
      const snapshot = await getSnapshot(deps, input);
      if (snapshot.status === 'deleted') throw new SnapshotNotFoundError(input.snapshotId);
      return snapshot;
    },
    flag: { path: 'protected', value: input.protected },
    flagOf: (snapshot) => snapshot.protected,
    apply: (snapshot, { name, labels, flag }) =>
      editSnapshot(snapshot, { name, labels, protected: flag }, toIsoTime(deps.clock.now())),
    write: (current, next) =>
      deps.snapshots.update(current, next, {
        events: next.name === current.name ? [] : [snapshotRenamedEvent(current, next)],
      }),
  });
}
