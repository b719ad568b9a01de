import type { Ports } from '../ports/ports.ts';
import { requestStorageMark } from './request-storage-mark.ts';

/** Accounts read per page of the index of marked accounts. */
const ACCOUNTS_PAGE_SIZE = 100;

/** What one scheduled run asked for. */
export interface ScheduledMarksReport {
  /** Accounts looked at. */
  readonly accounts: number;
  /** Passes started; the others had one pending already. */
  readonly started: number;
  readonly failed: ReadonlyArray<{ readonly accountId: string; readonly error: string }>;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The scheduled mark: a pass for every account that ever asked for one (an account asks when one
 * of its snapshots becomes available or is purged), coalesced with the passes already pending.
 * An account that fails is reported and tried by the next run; the others go on.
 */
export async function requestScheduledStorageMarks(
  deps: Pick<Ports, 'storage' | 'workflows' | 'clock' | 'ids'>,
): Promise<ScheduledMarksReport> {
  let accounts = 0;
  let started = 0;
  const failed: Array<{ accountId: string; error: string }> = [];
  let after: string | null = null;
  for (;;) {
    const page: readonly string[] = await deps.storage.listAccounts(ACCOUNTS_PAGE_SIZE, after);
    for (const accountId of page) {
      try {
        if (await requestStorageMark(deps, { accountId })) started += 1;
      } catch (error) {
        failed.push({ accountId, error: describe(error) });
      }
    }
    accounts += page.length;
    after = page.at(-1) ?? null;
    if (page.length < ACCOUNTS_PAGE_SIZE) break;
  }
  return { accounts, started, failed };
}
