import { SnapshotNotFoundError } from '../snapshots/snapshot-errors.ts';
import { ownedRecordChanger, ownedRecordGetter } from './owned-record.ts';

/**
 * One snapshot of the caller's account (a deleted one shows as `deleted`); SnapshotNotFoundError
 * when it is missing, of another account, or the id is not a snapshot id.
 */
export const getSnapshot = ownedRecordGetter('snapshot', 'snapshots', SnapshotNotFoundError);

/** A change of one snapshot of the caller's account, decided on it as stored now (see `ownedRecordChanger`). */
export const changeSnapshot = ownedRecordChanger(getSnapshot);
