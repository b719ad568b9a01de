import type { Operation } from '../../core/operations/operation.ts';
import { CursorCodec } from '../../core/pagination/cursor-codec.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { OperationRepository } from '../../core/ports/operation-repository.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import type { Signer } from '../../core/ports/signer.ts';
import { MemoryOutbox } from './memory-outbox.ts';
import { MemoryRecordStore } from './memory-record-store.ts';

/** OperationRepository in memory, for tests and the fast local loop. */
export class MemoryOperationRepository implements OperationRepository {
  readonly #store: MemoryRecordStore<Operation>;
  readonly #outbox: MemoryOutbox;

  /** `outbox` records the events written with a change (the ports' `events`, in tests). */
  constructor(options: { cursorSigner: Signer; outbox?: MemoryOutbox }) {
    this.#outbox = options.outbox ?? new MemoryOutbox();
    this.#store = new MemoryRecordStore('operation', new CursorCodec(options.cursorSigner));
  }

  async create(operation: Operation, write: WriteEvents = {}): Promise<void> {
    this.#store.create(operation);
    this.#outbox.recordWritten(write.events);
  }

  async get(accountId: string, operationId: string): Promise<Operation | null> {
    return this.#store.get(accountId, operationId);
  }

  async update(current: Operation, next: Operation, write: WriteEvents = {}): Promise<void> {
    this.#store.update(current, next);
    this.#outbox.recordWritten(write.events);
  }

  async list(accountId: string, page: PageRequest): Promise<Page<Operation>> {
    return this.#store.list('operations', accountId, {}, () => true, page);
  }

  async listRunning(startedBefore: string, limit: number): Promise<readonly Operation[]> {
    return this.#store
      .all()
      .filter((operation) => operation.status === 'running' && operation.startedAt < startedBefore)
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))
      .slice(0, limit);
  }
}
