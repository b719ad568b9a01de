import type { Page, PageRequest } from '../pagination/page.ts';
import type { SnapshotPolicy } from '../policies/snapshot-policy.ts';

/** Stored snapshot policies. Every read and write is keyed by account: another account's is missing. */
export interface PolicyRepository {
  /** Stores a new policy; RecordAlreadyExistsError if its id is taken (a conditional put). */
  create(policy: SnapshotPolicy): Promise<void>;

  /** The policy, or null when it does not exist in `accountId` (deleted ones are gone). */
  get(accountId: string, policyId: string): Promise<SnapshotPolicy | null>;

  /**
   * Replaces the stored policy with `next`, provided it is still as `current` was read (the same
   * `updatedAt`); otherwise, or when it was deleted meanwhile, ConcurrentModificationError.
   */
  update(current: SnapshotPolicy, next: SnapshotPolicy): Promise<void>;

  /** Deletes the policy; deleting one that is gone already does nothing. */
  delete(accountId: string, policyId: string): Promise<void>;

  /**
   * The account's policies, newest first, a page at a time. A cursor from another account or
   * list: InvalidCursorError.
   */
  list(accountId: string, page: PageRequest): Promise<Page<SnapshotPolicy>>;
}
