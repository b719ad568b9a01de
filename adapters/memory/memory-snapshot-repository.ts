import { CursorCodec } from '../../core/pagination/cursor-codec.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { SnapshotFilter, SnapshotRepository } from '../../core/ports/snapshot-repository.ts';
import type { Snapshot } from '../../core/snapshots/snapshot.ts';
import { MemoryOutbox } from './memory-outbox.ts';
import { MemoryRecordStore } from './memory-record-store.ts';

/** SnapshotRepository in memory, for tests and the fast local loop. */
export class MemorySnapshotRepository implements SnapshotRepository {
  readonly #store: MemoryRecordStore<Snapshot>;
  readonly #outbox: MemoryOutbox;

  /** `outbox` records the events written with a change (the ports' `events`, in tests). */
  constructor(options: { cursorSigner: Signer; outbox?: MemoryOutbox }) {
    this.#outbox = options.outbox ?? new MemoryOutbox();
    this.#store = new MemoryRecordStore('snapshot', new CursorCodec(options.cursorSigner));
  }

  async create(snapshot: Snapshot): Promise<void> {
    this.#store.create(snapshot);
  }

  async get(accountId: string, snapshotId: string): Promise<Snapshot | null> {
    return this.#store.get(accountId, snapshotId);
  }

  async update(current: Snapshot, next: Snapshot, write: WriteEvents = {}): Promise<void> {
    this.#store.update(
      current,
      next,
      (stored) =>
        stored.status === current.status &&
        JSON.stringify(stored.readers) === JSON.stringify(current.readers),
    );
    this.#outbox.recordWritten(write.events);
  }

  async list(
    accountId: string,
    filter: SnapshotFilter,
    page: PageRequest,
  ): Promise<Page<Snapshot>> {
    const region = filter.region ?? null;
    const sliceId = filter.sliceId ?? null;
    return this.#store.list(
      'snapshots',
      accountId,
      { region, sliceId },
      (snapshot) =>
        snapshot.status !== 'deleted' &&
        (region === null || snapshot.region === region) &&
        (sliceId === null || snapshot.sliceId === sliceId),
      page,
    );
  }
}
