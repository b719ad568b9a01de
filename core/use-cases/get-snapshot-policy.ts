import { PolicyNotFoundError } from '../policies/policy-errors.ts';
import { ownedRecordGetter } from './owned-record.ts';

/**
 * One policy of the caller's account; PolicyNotFoundError when it is missing, of another account,
 * or the id is not a policy id.
 */
export const getSnapshotPolicy = ownedRecordGetter('policy', 'policies', PolicyNotFoundError);
