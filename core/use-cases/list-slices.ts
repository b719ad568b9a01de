import { type Page, parsePageRequest } from '../pagination/page.ts';
import type { Ports } from '../ports/ports.ts';
import type { Slice } from '../slices/slice.ts';

/** The caller's slices (deleted ones left out), newest first, one page at a time. */
export async function listSlices(
  deps: Pick<Ports, 'slices'>,
  input: { accountId: string; limit?: number; cursor?: string | null },
): Promise<Page<Slice>> {
  return deps.slices.list(input.accountId, parsePageRequest(input));
}
