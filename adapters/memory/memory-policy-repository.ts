import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { SnapshotPolicy } from '../../core/policies/snapshot-policy.ts';
import type { PolicyRepository } from '../../core/ports/policy-repository.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { MemoryOutbox } from './memory-outbox.ts';
import { MemoryAccountRecords } from './memory-record-store.ts';

/** PolicyRepository in memory, for tests and the fast local loop. */
export class MemoryPolicyRepository
  extends MemoryAccountRecords<SnapshotPolicy>
  implements PolicyRepository
{
  constructor(options: { cursorSigner: Signer; outbox?: MemoryOutbox }) {
    super('policy', options);
  }

  protected override stillExpected(stored: SnapshotPolicy, current: SnapshotPolicy): boolean {
    return stored.updatedAt === current.updatedAt;
  }

  async delete(accountId: string, policyId: string): Promise<void> {
    this.store.delete(accountId, policyId);
  }

  async list(accountId: string, page: PageRequest): Promise<Page<SnapshotPolicy>> {
    return this.store.list('policies', accountId, {}, () => true, page);
  }

  /** Every policy of every account: what the local scheduler and tests look through. */
  all(): SnapshotPolicy[] {
    return this.store.all();
  }
}
