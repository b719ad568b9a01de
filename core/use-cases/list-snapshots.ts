import { parseLabelSelector } from '../labels/label-selector.ts';
import { type Page, parsePageRequest } from '../pagination/page.ts';
import type { Ports } from '../ports/ports.ts';
import { UnknownRegionError } from '../regions/region-errors.ts';
import { InvalidInputError } from '../shared/domain-error.ts';
import { isResourceId } from '../shared/ids.ts';
import type { Snapshot } from '../snapshots/snapshot.ts';

/** What `GET /v1/snapshots` asks for. */
export interface ListSnapshotsInput {
  readonly accountId: string;
  readonly region?: string | null;
  readonly sliceId?: string | null;
  /** Hetzner's label selector grammar; InvalidLabelSelectorError names where it goes wrong. */
  readonly labelSelector?: string | null;
  /** `recycled`: the recycle bin; left out: every snapshot but deleted and recycled ones. */
  readonly status?: 'recycled' | null;
  readonly limit?: number;
  readonly cursor?: string | null;
}

/**
 * The caller's snapshots (deleted and recycled ones left out), or with `status: 'recycled'` its
 * recycle bin, newest first, optionally of one region and/or one slice (a deleted slice's snapshots
 * too) and/or those a label selector selects (a page then reads at most MAX_RECORDS_EXAMINED
 * snapshots, and may come back short with a cursor to go on). An unknown region, a malformed slice
 * id or selector is invalid input.
 */
export async function listSnapshots(
  deps: Pick<Ports, 'snapshots' | 'regions'>,
  input: ListSnapshotsInput,
): Promise<Page<Snapshot>> {
  const page = parsePageRequest(input);
  const labelSelector =
    input.labelSelector == null ? null : parseLabelSelector(input.labelSelector);
  if (input.sliceId != null && !isResourceId('slice', input.sliceId)) {
    throw new InvalidInputError([{ path: 'sliceId', message: 'must be a slice id (slc_…)' }]);
  }
  if (input.region != null && !(await deps.regions.find(input.region))) {
    const known = (await deps.regions.list()).map((region) => region.id);
    throw new UnknownRegionError(input.region, known);
  }
  return deps.snapshots.list(
    input.accountId,
    {
      region: input.region ?? null,
      sliceId: input.sliceId ?? null,
      status: input.status ?? null,
      labelSelector,
    },
    page,
  );
}
