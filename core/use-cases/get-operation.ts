import { OperationNotFoundError } from '../operations/operation-errors.ts';
import { ownedRecordChanger, ownedRecordGetter } from './owned-record.ts';

/**
 * One operation of the caller's account; OperationNotFoundError when it is missing, of another
 * account, or the id is not an operation id.
 */
export const getOperation = ownedRecordGetter('operation', 'operations', OperationNotFoundError);

/** A change of one operation of the caller's account, decided on it as stored now (see `ownedRecordChanger`). */
export const changeOperation = ownedRecordChanger(getOperation);
