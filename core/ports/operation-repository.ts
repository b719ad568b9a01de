import type { Operation } from '../operations/operation.ts';
import type { Page, PageRequest } from '../pagination/page.ts';
import type { WriteEvents } from './outbox.ts';

/** Stored operations. Every read and write is keyed by account: another account's is missing. */
export interface OperationRepository {
  /**
   * Stores a new operation; RecordAlreadyExistsError if its id is taken (a conditional put).
   * `events` are written with it, or not at all.
   */
  create(operation: Operation, write?: WriteEvents): Promise<void>;

  /** The operation, or null when it does not exist in `accountId`. */
  get(accountId: string, operationId: string): Promise<Operation | null>;

  /**
   * Writes what `next` changes from `current`, provided the stored operation still has `current`'s
   * status; otherwise ConcurrentModificationError (never a silent overwrite). `events` are written
   * with the change, or not at all.
   */
  update(current: Operation, next: Operation, write?: WriteEvents): Promise<void>;

  /** The account's operations, newest first. A foreign cursor: InvalidCursorError. */
  list(accountId: string, page: PageRequest): Promise<Page<Operation>>;

  /**
   * Operations of every account still `running` that started before `startedBefore`, at most
   * `limit`. Reads only running operations (an index that holds nothing else), never the table.
   */
  listRunning(startedBefore: string, limit: number): Promise<readonly Operation[]>;
}
