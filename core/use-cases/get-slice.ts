import { SliceNotFoundError } from '../slices/slice-errors.ts';
import { ownedRecordChanger, ownedRecordGetter } from './owned-record.ts';

/**
 * One slice of the caller's account (deleted ones too, with their status); SliceNotFoundError when
 * it is missing, of another account, or the id is not a slice id.
 */
export const getSlice = ownedRecordGetter('slice', 'slices', SliceNotFoundError);

/** A change of one slice of the caller's account, decided on it as stored now (see `ownedRecordChanger`). */
export const changeSlice = ownedRecordChanger(getSlice);
