import type { StorageRepository, SweepClaim } from '../../core/ports/storage-repository.ts';
import type { AccountStorage } from '../../core/storage/account-storage.ts';

/** StorageRepository in memory: each account's figures and pending request, copies in and out. */
export class MemoryStorageRepository implements StorageRepository {
  readonly #figures = new Map<string, AccountStorage>();
  /** Account → until when its pending request lasts; null once its pass began. */
  readonly #requests = new Map<string, string | null>();
  readonly #sweepers = new Map<string, { readonly markId: string; readonly until: string }>();

  async get(accountId: string): Promise<AccountStorage | null> {
    const stored = this.#figures.get(accountId);
    return stored ? structuredClone(stored) : null;
  }

  async save(storage: AccountStorage): Promise<void> {
    const stored = this.#figures.get(storage.accountId);
    if (stored !== undefined && stored.asOf > storage.asOf) return;
    this.#figures.set(storage.accountId, structuredClone(storage));
  }

  async requestMark(accountId: string, now: string, until: string): Promise<boolean> {
    const pendingUntil = this.#requests.get(accountId) ?? null;
    if (pendingUntil !== null && pendingUntil > now) return false;
    this.#requests.set(accountId, until);
    return true;
  }

  async markBegun(accountId: string): Promise<void> {
    if (this.#requests.has(accountId)) this.#requests.set(accountId, null);
  }

  async claimSweep({ accountId, markId, now, until }: SweepClaim): Promise<boolean> {
    const held = this.#sweepers.get(accountId);
    if (held !== undefined && held.markId !== markId && held.until > now) return false;
    this.#sweepers.set(accountId, { markId, until });
    return true;
  }

  async releaseSweep(accountId: string, markId: string): Promise<void> {
    if (this.#sweepers.get(accountId)?.markId === markId) this.#sweepers.delete(accountId);
  }

  async listAccounts(limit: number, after: string | null = null): Promise<readonly string[]> {
    return [...this.#requests.keys()]
      .filter((accountId) => after === null || accountId > after)
      .sort()
      .slice(0, limit);
  }
}
