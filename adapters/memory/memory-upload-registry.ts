import type { Clock } from '../../core/ports/clock.ts';
import type { UploadRegistry } from '../../core/ports/upload-registry.ts';
import { ChunkCleanupInProgressError } from '../../core/snapshots/image-errors.ts';

interface AccountLeases {
  readonly uploads: Map<string, number>;
  cleanup: { owner: string; until: number } | null;
}

/** UploadRegistry in memory; expiry is judged by the given clock. */
export class MemoryUploadRegistry implements UploadRegistry {
  readonly #accounts = new Map<string, AccountLeases>();
  readonly #clock: Clock;

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  #leases(accountId: string): AccountLeases {
    let leases = this.#accounts.get(accountId);
    if (!leases) {
      leases = { uploads: new Map(), cleanup: null };
      this.#accounts.set(accountId, leases);
    }
    return leases;
  }

  async beginUpload(accountId: string, snapshotId: string, until: Date): Promise<void> {
    const leases = this.#leases(accountId);
    const now = this.#clock.now().getTime();
    if (leases.cleanup && leases.cleanup.until > now) {
      throw new ChunkCleanupInProgressError(accountId);
    }
    leases.uploads.set(snapshotId, until.getTime());
  }

  async endUpload(accountId: string, snapshotId: string): Promise<void> {
    this.#leases(accountId).uploads.delete(snapshotId);
  }

  async beginCleanup(accountId: string, owner: string, until: Date): Promise<boolean> {
    const leases = this.#leases(accountId);
    const now = this.#clock.now().getTime();
    const inFlight = [...leases.uploads.values()].some((expiry) => expiry > now);
    const held = leases.cleanup && leases.cleanup.until > now && leases.cleanup.owner !== owner;
    if (inFlight || held) return false;
    leases.cleanup = { owner, until: until.getTime() };
    return true;
  }

  async endCleanup(accountId: string, owner: string): Promise<void> {
    const leases = this.#leases(accountId);
    if (leases.cleanup?.owner === owner) leases.cleanup = null;
  }

  /** Snapshot ids whose uploads are registered (expired or not), for tests to read. */
  uploadsOf(accountId: string): string[] {
    return [...this.#leases(accountId).uploads.keys()];
  }
}
