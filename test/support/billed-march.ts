import type { Ports } from '../../core/ports/ports.ts';
import { BYTES_PER_GIB } from '../../core/shared/sizes.ts';
import type { Snapshot } from '../../core/snapshots/snapshot.ts';
import { startBilling } from '../../core/use-cases/start-billing.ts';
import { stopBilling } from '../../core/use-cases/stop-billing.ts';
import { anAvailableSnapshot, deletionRequested } from './records.ts';

/** When `deleted` of {@link billMarch} has its deletion requested: billing stops then. */
const MID_MARCH_DELETION = '2026-03-16T12:00:00.000Z';

/**
 * March 2026 billed as the workflows bill it: `alice` keeps 40 GiB (`kept`) all month and deletes
 * 40 GiB (`deleted`) at MID_MARCH_DELETION, 15.5 of 31 days in; `bob` keeps 10 GiB (`bobs`) from
 * the 16th. A month of 40 GiB is 2.00, so Alice owes 3.00 and Bob 0.26 (16 of 31 days of 0.50).
 */
export async function billMarch(
  deps: Pick<Ports, 'usage'>,
  alice: string,
  bob: string,
): Promise<{ kept: Snapshot; deleted: Snapshot; bobs: Snapshot }> {
  const kept = anAvailableSnapshot({ accountId: alice, completedAt: '2026-02-10T00:00:00.000Z' });
  const deleted = anAvailableSnapshot({
    accountId: alice,
    completedAt: '2026-03-01T00:00:00.000Z',
  });
  const bobs = anAvailableSnapshot({
    accountId: bob,
    completedAt: '2026-03-16T00:00:00.000Z',
    sizeBytes: 10 * BYTES_PER_GIB,
  });
  for (const snapshot of [kept, deleted, bobs]) await startBilling(deps, snapshot);
  await stopBilling(deps, deletionRequested(deleted, MID_MARCH_DELETION));
  return { kept, deleted, bobs };
}
