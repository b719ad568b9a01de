import { EVENT } from '../events/event-types.ts';
import type { Ports } from '../ports/ports.ts';
import { parseName } from '../shared/names.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';
import { toIsoTime } from '../shared/time.ts';
import { changeSnapshotName, type Snapshot } from '../snapshots/snapshot.ts';
import { SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';
import { getSnapshot } from './get-snapshot.ts';

/**
 * Renames a snapshot and emits `Snapshot Renamed` once, in the same write. The same name again changes nothing and
 * emits nothing; a deleted snapshot is not found, one being deleted is a conflict. A race with
 * another write (a progress heartbeat) is retried on fresh state, never lost.
 */
export async function renameSnapshot(
  deps: Pick<Ports, 'snapshots' | 'clock'>,
  input: { accountId: string; snapshotId: string; name: string },
): Promise<Snapshot> {
  const name = parseName(input.name);
  const { current, renamed } = await retryOnConflict(async () => {
    const current = await getSnapshot(deps, input);
    if (current.status === 'deleted') throw new SnapshotNotFoundError(input.snapshotId);
    if (current.name === name) return { current, renamed: null };
    const renamed = changeSnapshotName(current, name, toIsoTime(deps.clock.now()));
    await deps.snapshots.update(current, renamed, {
      events: [
        {
          detailType: EVENT.snapshotRenamed,
          detail: {
            accountId: renamed.accountId,
            snapshotId: renamed.id,
            sliceId: renamed.sliceId,
            name: renamed.name,
            previousName: current.name,
          },
          // A name can come back (a → b → a → b): the moment tells those renames apart.
          key: `${renamed.id}@${renamed.updatedAt}`,
        },
      ],
    });
    return { current, renamed };
  });
  return renamed ?? current;
}
