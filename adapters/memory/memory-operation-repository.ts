import type { Operation } from '../../core/operations/operation.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { OperationRepository } from '../../core/ports/operation-repository.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { MemoryOutbox } from './memory-outbox.ts';
import { MemoryAccountRecords } from './memory-record-store.ts';

/** OperationRepository in memory, for tests and the fast local loop. */
export class MemoryOperationRepository
  extends MemoryAccountRecords<Operation>
  implements OperationRepository
{
  constructor(options: { cursorSigner: Signer; outbox?: MemoryOutbox }) {
    super('operation', options);
  }

  async list(accountId: string, page: PageRequest): Promise<Page<Operation>> {
    return this.store.list('operations', accountId, {}, () => true, page);
  }

  async listRunning(startedBefore: string, limit: number): Promise<readonly Operation[]> {
    return this.store
      .all()
      .filter((operation) => operation.status === 'running' && operation.startedAt < startedBefore)
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))
      .slice(0, limit);
  }
}
