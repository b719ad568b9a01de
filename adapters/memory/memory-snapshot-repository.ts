import { selectedBy } from '../../core/labels/label-selector.ts';
import { sameLabels } from '../../core/labels/labels.ts';
import type { Page, PageRequest } from '../../core/pagination/page.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { SnapshotFilter, SnapshotRepository } from '../../core/ports/snapshot-repository.ts';
import { type Snapshot, unverifiedSince } from '../../core/snapshots/snapshot.ts';
import { snapshotListScope } from '../../core/snapshots/snapshot-list-scope.ts';
import type { MemoryOutbox } from './memory-outbox.ts';
import { MemoryAccountRecords } from './memory-record-store.ts';

/** A write that moves the status or the protection is decided on the protection as read. */
function decidesProtection(current: Snapshot, next: Snapshot): boolean {
  return next.status !== current.status || next.protected !== current.protected;
}

/** SnapshotRepository in memory, for tests and the fast local loop. */
export class MemorySnapshotRepository
  extends MemoryAccountRecords<Snapshot>
  implements SnapshotRepository
{
  constructor(options: { cursorSigner: Signer; outbox?: MemoryOutbox }) {
    super('snapshot', options);
  }

  protected override stillExpected(stored: Snapshot, current: Snapshot, next: Snapshot): boolean {
    return (
      stored.status === current.status &&
      JSON.stringify(stored.readers) === JSON.stringify(current.readers) &&
      (!decidesProtection(current, next) || stored.protected === current.protected) &&
      (sameLabels(current.labels, next.labels) || sameLabels(stored.labels, current.labels))
    );
  }

  async list(
    accountId: string,
    filter: SnapshotFilter,
    page: PageRequest,
  ): Promise<Page<Snapshot>> {
    const { region, sliceId, status } = filter;
    return this.store.list(
      'snapshots',
      accountId,
      snapshotListScope(filter),
      (snapshot) =>
        (status
          ? snapshot.status === status
          : !['deleted', 'recycled'].includes(snapshot.status)) &&
        (!region || snapshot.region === region) &&
        (!sliceId || snapshot.sliceId === sliceId),
      page,
      selectedBy(filter.labelSelector),
    );
  }

  async listDueForVerification(before: string, limit: number): Promise<readonly Snapshot[]> {
    return this.#byIndexTime(
      (snapshot) => (snapshot.status === 'available' ? unverifiedSince(snapshot) : null),
      before,
      limit,
    );
  }

  async listExpired(
    before: string,
    limit: number,
    after: Snapshot | null = null,
  ): Promise<readonly Snapshot[]> {
    return this.#byIndexTime(
      (snapshot) => (snapshot.status === 'recycled' ? snapshot.purgeAt : null),
      before,
      limit,
      after,
    );
  }

  /**
   * As the table's time index answers: the snapshots whose time (`timeOf`, null when the index
   * holds no key for it) is at or before `before`, ordered by time, then account, then id,
   * starting after `after`.
   */
  #byIndexTime(
    timeOf: (snapshot: Snapshot) => string | null,
    before: string,
    limit: number,
    after: Snapshot | null = null,
  ): Snapshot[] {
    const position = (snapshot: Snapshot) =>
      `${timeOf(snapshot)}#${snapshot.accountId}#${snapshot.id}`;
    return this.store
      .all()
      .filter((snapshot) => {
        const time = timeOf(snapshot);
        return (
          time !== null &&
          time <= before &&
          (after === null || position(snapshot) > position(after))
        );
      })
      .sort((a, b) => (position(a) < position(b) ? -1 : 1))
      .slice(0, limit);
  }
}
