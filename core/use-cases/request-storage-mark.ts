import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import { MARK_REQUEST_SECONDS } from '../storage/mark-pass.ts';

/**
 * Asks for a mark pass of the account, coalesced: while one is requested and not yet begun, a
 * request starts nothing more (at most one pending pass per account). Answers whether it started
 * the storage-mark workflow.
 */
export async function requestStorageMark(
  deps: Pick<Ports, 'storage' | 'workflows' | 'clock' | 'ids'>,
  input: { accountId: string },
): Promise<boolean> {
  const now = deps.clock.now();
  const until = new Date(now.getTime() + MARK_REQUEST_SECONDS * 1000);
  if (!(await deps.storage.requestMark(input.accountId, toIsoTime(now), toIsoTime(until)))) {
    return false;
  }
  await deps.workflows.startStorageMark({
    accountId: input.accountId,
    markId: deps.ids.next('mark'),
  });
  return true;
}
