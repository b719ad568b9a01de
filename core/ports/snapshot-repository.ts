import type { LabelSelector } from '../labels/label-selector.ts';
import type { Page, PageRequest } from '../pagination/page.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';
import type { WriteEvents } from './outbox.ts';

/** Optional filters of the snapshot list; a cursor is bound to the filters it was issued for. */
export interface SnapshotFilter {
  readonly region?: string | null;
  readonly sliceId?: string | null;
  readonly labelSelector?: LabelSelector | null;
  /** `recycled` lists the recycle bin alone; left out, the list leaves the recycle bin out. */
  readonly status?: 'recycled' | null;
}

/** Stored snapshots. Every read and write is keyed by account: another account's is missing. */
export interface SnapshotRepository {
  /** Stores a new snapshot; RecordAlreadyExistsError if its id is taken (a conditional put). */
  create(snapshot: Snapshot): Promise<void>;

  /** The snapshot, or null when it does not exist in `accountId`. Deleted ones are returned. */
  get(accountId: string, snapshotId: string): Promise<Snapshot | null>;

  /**
   * Writes what `next` changes from `current`, provided the stored snapshot still has `current`'s
   * status and readers (a reader starting and a deletion starting never both succeed), its
   * protection as read when the write changes the status or the protection (a deletion never
   * passes a protection set meanwhile), and its labels as read when the write changes them (two
   * merges never lose each other's keys); otherwise ConcurrentModificationError (never a silent
   * overwrite). `events` are written with the change, or not at all.
   */
  update(current: Snapshot, next: Snapshot, write?: WriteEvents): Promise<void>;

  /**
   * The account's snapshots but deleted and recycled ones (or, with `status: 'recycled'`, only the
   * recycled ones), newest first, optionally of one region and/or one slice and/or those a label
   * selector selects. A page examines at most MAX_RECORDS_EXAMINED records of the account (and
   * never another account's): when a selector leaves most out, a page may hold fewer than `limit`,
   * even none, with a cursor to go on. A cursor from another account, list or filter:
   * InvalidCursorError.
   */
  list(accountId: string, filter: SnapshotFilter, page: PageRequest): Promise<Page<Snapshot>>;

  /**
   * Up to `limit` recycled snapshots of every account whose `purgeAt` is at or before `before`,
   * the longest expired first (then by account and id), starting after `after` when given (the
   * last of the previous page). Reads an index that holds the recycled snapshots only, never the
   * whole table; it may trail the table by a moment, so a caller checks each snapshot it acts on.
   */
  listExpired(before: string, limit: number, after?: Snapshot | null): Promise<readonly Snapshot[]>;

  /**
   * Up to `limit` available snapshots of every account last verified (or, never verified, taken)
   * at or before `before`, the longest unverified first (then by account and id). Reads an index
   * that holds available snapshots only, never the whole table; it may trail the table by a
   * moment, so a caller checks each snapshot it acts on.
   */
  listDueForVerification(before: string, limit: number): Promise<readonly Snapshot[]>;
}
