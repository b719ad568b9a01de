import { SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';
import { ownedRecordGetter } from './owned-record.ts';

/**
 * One snapshot of the caller's account (a deleted one shows as `deleted`); SnapshotNotFoundError
 * when it is missing, of another account, or the id is not a snapshot id.
 */
export const getSnapshot = ownedRecordGetter('snapshot', 'snapshots', SnapshotNotFoundError);
