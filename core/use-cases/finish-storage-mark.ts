import type { Ports } from '../ports/ports.ts';
import type { AccountStorage } from '../storage/account-storage.ts';
import { ChunkTally } from '../storage/chunk-tally.ts';
import { MarkTallyMissingError } from '../storage/storage-errors.ts';

/** What a finished pass found, for the execution's output and the logs. */
export interface StorageMarkSummary {
  readonly accountId: string;
  readonly asOf: string;
  readonly snapshots: number;
  readonly logicalBytes: number;
  readonly storedBytes: number;
}

/**
 * storage-mark's `FinishMark`, once every live snapshot is marked: each snapshot's stored and
 * exclusive bytes and the account's totals are stored as of when the pass began (unless a pass
 * that began later stored its figures first). The tally stays for the pass's sweep, which
 * deletes it. A retry after the tally is gone finds the figures stored and does nothing more.
 */
export async function finishStorageMark(
  deps: Pick<Ports, 'markTallies' | 'storage'>,
  input: { accountId: string; markId: string; asOf: string },
): Promise<StorageMarkSummary> {
  const state = await deps.markTallies.load(input.accountId, input.markId);
  let storage: AccountStorage | null;
  if (state === null) {
    storage = await deps.storage.get(input.accountId);
    if (storage === null || storage.asOf < input.asOf) {
      throw new MarkTallyMissingError(input.accountId, input.markId);
    }
  } else {
    storage = new ChunkTally(state).result(input.accountId, input.asOf);
    await deps.storage.save(storage);
  }
  return {
    accountId: input.accountId,
    asOf: storage.asOf,
    snapshots: Object.keys(storage.snapshots).length,
    logicalBytes: storage.logicalBytes,
    storedBytes: storage.storedBytes,
  };
}
