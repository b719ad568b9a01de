import type { Ports } from '../ports/ports.ts';
import type { Failure } from '../shared/failure.ts';
import { type FailKeptSnapshotInput, failKeptSnapshot } from './fail-kept-snapshot.ts';

const NOT_TAKEN: Failure = {
  code: 'SNAPSHOT_FAILED',
  message: 'the final snapshot could not be taken, so the slice was not deleted',
};

/**
 * delete-slice's `FailFinalSnapshot`, after `FailSliceDeletion` gave the slice back: the final
 * snapshot fails with the reason the deletion failed. A final snapshot that became available
 * before a later step failed stays available: it is a snapshot like any other.
 * Answers whether its upload must be cleaned up.
 */
export async function failFinalSnapshot(
  deps: Pick<Ports, 'snapshots' | 'clock'>,
  input: FailKeptSnapshotInput,
): Promise<{ readonly cleanUp: boolean }> {
  const { failed } = await failKeptSnapshot(deps, input, NOT_TAKEN);
  return { cleanUp: failed };
}
