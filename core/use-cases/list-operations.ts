import type { Operation } from '../operations/operation.ts';
import { type Page, parsePageRequest } from '../pagination/page.ts';
import type { Ports } from '../ports/ports.ts';

/** The caller's operations, running and ended, newest first, one page at a time. */
export async function listOperations(
  deps: Pick<Ports, 'operations'>,
  input: { accountId: string; limit?: number; cursor?: string | null },
): Promise<Page<Operation>> {
  return deps.operations.list(input.accountId, parsePageRequest(input));
}
