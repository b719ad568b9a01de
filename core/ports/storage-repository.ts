import type { AccountStorage } from '../storage/account-storage.ts';

/** A pass's claim to be its account's sweeper until `until`, asked at `now` (both ISO times). */
export interface SweepClaim {
  readonly accountId: string;
  readonly markId: string;
  readonly now: string;
  readonly until: string;
}

/**
 * Each account's storage as its latest mark pass found it, and which accounts are waiting for a
 * pass. One record of figures per account, another for its pending pass.
 */
export interface StorageRepository {
  /** The account's figures from its latest finished pass (read consistently), or null before any. */
  get(accountId: string): Promise<AccountStorage | null>;

  /**
   * Stores a finished pass's figures, unless figures of a pass that began later are stored
   * already (two passes that overlap never leave the older one's figures).
   */
  save(storage: AccountStorage): Promise<void>;

  /**
   * Notes that the account needs a mark pass and answers whether the caller should start one:
   * true unless a pass is pending already (requested, not yet begun) and its request lasts
   * beyond `now` (a conditional write). The request lasts until `until`, so a pass whose start
   * was lost is requested again after it. The account is enrolled in {@link listAccounts}.
   */
  requestMark(accountId: string, now: string, until: string): Promise<boolean>;

  /** The pending pass has begun: a request after this starts another one. */
  markBegun(accountId: string): Promise<void>;

  /**
   * Makes pass `markId` the account's only sweeper until `until` (a conditional write): true when
   * no other pass is the sweeper, or another's claim ended by `now`; the same pass asking again
   * gets it again. Passes that overlap still mark, but only the sweeper deletes chunks and writes
   * the condemned list, so those writes never interleave.
   */
  claimSweep(claim: SweepClaim): Promise<boolean>;

  /** Ends pass `markId`'s claim; one it does not hold is left alone. */
  releaseSweep(accountId: string, markId: string): Promise<void>;

  /**
   * Up to `limit` accounts that ever requested a pass, in account id order, after `after` when
   * given: what the scheduled pass goes through. Reads an index of them alone, never the table.
   */
  listAccounts(limit: number, after?: string | null): Promise<readonly string[]>;
}
