import { labelSelectorScope } from '../labels/label-selector.ts';
import type { SnapshotFilter } from '../ports/snapshot-repository.ts';

/**
 * The filters of a snapshot list as its cursors' scope holds them, so that a cursor issued for
 * one filter is refused with another. Every snapshot repository binds its cursors with it.
 */
export function snapshotListScope(filter: SnapshotFilter): Readonly<Record<string, string | null>> {
  return {
    region: filter.region ?? null,
    sliceId: filter.sliceId ?? null,
    ...(filter.status ? { status: filter.status } : {}),
    ...labelSelectorScope(filter.labelSelector),
  };
}
