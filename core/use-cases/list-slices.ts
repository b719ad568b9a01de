import { parseLabelSelector } from '../labels/label-selector.ts';
import { type Page, parsePageRequest } from '../pagination/page.ts';
import type { Ports } from '../ports/ports.ts';
import type { Slice } from '../slices/slice.ts';

/** What `GET /v1/slices` asks for. */
export interface ListSlicesInput {
  readonly accountId: string;
  /** Hetzner's label selector grammar; InvalidLabelSelectorError names where it goes wrong. */
  readonly labelSelector?: string | null;
  readonly limit?: number;
  readonly cursor?: string | null;
}

/**
 * The caller's slices (deleted ones left out), newest first, one page at a time, optionally only
 * those a label selector selects (a page then reads at most MAX_RECORDS_EXAMINED slices, and may
 * come back short with a cursor to go on).
 */
export async function listSlices(
  deps: Pick<Ports, 'slices'>,
  input: ListSlicesInput,
): Promise<Page<Slice>> {
  const page = parsePageRequest(input);
  const labelSelector =
    input.labelSelector == null ? null : parseLabelSelector(input.labelSelector);
  return deps.slices.list(input.accountId, { labelSelector }, page);
}
