import type { Ports } from '../ports/ports.ts';
import { isBeingTaken } from '../snapshots/snapshot.ts';
import { getSnapshot } from './get-snapshot.ts';

/** How a snapshot a run took stands, and when to look again while it is still being taken. */
export type PolicySnapshotCheck =
  | { readonly status: 'pending'; readonly code: null; readonly waitSeconds: number }
  | { readonly status: 'available'; readonly code: null; readonly waitSeconds: 0 }
  | { readonly status: 'failed'; readonly code: string; readonly waitSeconds: 0 };

/** Looks at a snapshot being taken a few seconds after it began, then less often, at most a minute apart. */
const FIRST_WAIT_SECONDS = 2;
const LONGEST_WAIT_SECONDS = 60;

/**
 * Whether a snapshot a policy's run took is available yet: the run prunes a slice only once its
 * new snapshot is there. The wait before the next look grows with the snapshot's age (a tenth of
 * it), so a small snapshot is seen at once and a large one costs a look a minute.
 */
export async function checkPolicySnapshot(
  deps: Pick<Ports, 'snapshots' | 'clock'>,
  input: { accountId: string; snapshotId: string },
): Promise<PolicySnapshotCheck> {
  const snapshot = await getSnapshot(deps, input);
  if (snapshot.status === 'available') return { status: 'available', code: null, waitSeconds: 0 };
  if (isBeingTaken(snapshot)) {
    const ageSeconds = (deps.clock.now().getTime() - Date.parse(snapshot.createdAt)) / 1000;
    const waitSeconds = Math.round(
      Math.min(LONGEST_WAIT_SECONDS, Math.max(FIRST_WAIT_SECONDS, ageSeconds / 10)),
    );
    return { status: 'pending', code: null, waitSeconds };
  }
  return {
    status: 'failed',
    code: snapshot.error?.code ?? 'SNAPSHOT_NOT_AVAILABLE',
    waitSeconds: 0,
  };
}
