import { labelSelectorScope, selectedBy } from '../../core/labels/label-selector.ts';
import { sameLabels } from '../../core/labels/labels.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { SliceFilter, SliceRepository } from '../../core/ports/slice-repository.ts';
import { lockSlice, type Slice, unlockSlice } from '../../core/slices/slice.ts';
import { SliceNotFoundError } from '../../core/slices/slice-errors.ts';
import type { SliceLockRelease, SliceLockRequest } from '../../core/slices/slice-lock.ts';
import type { MemoryOutbox } from './memory-outbox.ts';
import { MemoryAccountRecords } from './memory-record-store.ts';

/** A write that moves the status or the protection is decided on the protection as read. */
function decidesProtection(current: Slice, next: Slice): boolean {
  return next.status !== current.status || next.deleteProtected !== current.deleteProtected;
}

/** SliceRepository in memory, for tests and the fast local loop. */
export class MemorySliceRepository extends MemoryAccountRecords<Slice> implements SliceRepository {
  constructor(options: { cursorSigner: Signer; outbox?: MemoryOutbox }) {
    super('slice', options);
  }

  protected override stillExpected(stored: Slice, current: Slice, next: Slice): boolean {
    return (
      stored.status === current.status &&
      (stored.lock?.operationId ?? null) === (current.lock?.operationId ?? null) &&
      (!decidesProtection(current, next) || stored.deleteProtected === current.deleteProtected) &&
      (sameLabels(current.labels, next.labels) || sameLabels(stored.labels, current.labels))
    );
  }

  async acquireLock(request: SliceLockRequest): Promise<Slice> {
    const { accountId, sliceId, operationId, operationType, now } = request;
    return this.#change(accountId, sliceId, (stored) =>
      lockSlice(stored, { operationId, operationType }, now),
    );
  }

  async releaseLock({ accountId, sliceId, operationId, now }: SliceLockRelease): Promise<Slice> {
    return this.#change(accountId, sliceId, (stored) => unlockSlice(stored, operationId, now));
  }

  /** The stored slice as `change` decides (it throws the domain's refusal), stored at once. */
  #change(accountId: string, sliceId: string, change: (stored: Slice) => Slice): Slice {
    const stored = this.store.get(accountId, sliceId);
    if (!stored) throw new SliceNotFoundError(sliceId);
    const changed = change(stored);
    this.store.put(changed);
    return changed;
  }

  async list(accountId: string, filter: SliceFilter, page: PageRequest): Promise<Page<Slice>> {
    return this.store.list(
      'slices',
      accountId,
      labelSelectorScope(filter.labelSelector),
      (slice) => slice.status !== 'deleted',
      page,
      selectedBy(filter.labelSelector),
    );
  }
}
