import type { LabelSelector } from '../labels/label-selector.ts';
import type { Page, PageRequest } from '../pagination/page.ts';
import type { Slice } from '../slices/slice.ts';
import type { SliceLockRelease, SliceLockRequest } from '../slices/slice-lock.ts';

/** Optional filters of the slice list; a cursor is bound to the filters it was issued for. */
export interface SliceFilter {
  readonly labelSelector?: LabelSelector | null;
}

/** Stored slices. Every read and write is keyed by account: another account's slice is missing. */
export interface SliceRepository {
  /** Stores a new slice; RecordAlreadyExistsError if its id is taken (a conditional put). */
  create(slice: Slice): Promise<void>;

  /** The slice, or null when it does not exist in `accountId`. Deleted slices are returned. */
  get(accountId: string, sliceId: string): Promise<Slice | null>;

  /**
   * Writes what `next` changes from `current`, provided the stored slice still has `current`'s
   * status and lock holder, its delete protection as read when the write changes the status or
   * the protection, and its labels as read when the write changes them; otherwise
   * ConcurrentModificationError (never a silent overwrite).
   */
  update(current: Slice, next: Slice): Promise<void>;

  /**
   * active → busy in one conditional write: records the operation and the power state at this
   * moment. The holder taking it again gets the slice unchanged. SliceNotFoundError when missing,
   * SliceBusyError when another operation holds it, IllegalSliceTransitionError when not active,
   * SliceDeleteProtectedError when a `slice.delete` asks for a slice with delete protection on.
   */
  acquireLock(request: SliceLockRequest): Promise<Slice>;

  /**
   * Moves the slice from busy to active in one conditional write, for the lock's holder only.
   * Anyone else gets SliceLockNotHeldError (released already, or held by another); a missing
   * slice is SliceNotFoundError.
   */
  releaseLock(release: SliceLockRelease): Promise<Slice>;

  /**
   * The account's slices but deleted ones, newest first, optionally those a label selector
   * selects; a page examines at most MAX_RECORDS_EXAMINED records, as the snapshot list does. A
   * cursor from another account or filter: InvalidCursorError.
   */
  list(accountId: string, filter: SliceFilter, page: PageRequest): Promise<Page<Slice>>;
}
