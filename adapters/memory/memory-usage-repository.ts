import { type BillingMonth, isoOfSecond, monthPeriod } from '../../core/billing/billing-month.ts';
import { billingPartitionOf } from '../../core/billing/partitions.ts';
import {
  type AccountUsage,
  type BilledUsage,
  compareUsage,
  overlapsPeriod,
} from '../../core/billing/usage.ts';
import type { UsageRepository } from '../../core/ports/usage-repository.ts';

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * UsageRepository in memory, with the same semantics as the table: the first start, a period's
 * first resume and the first stop win.
 */
export class MemoryUsageRepository implements UsageRepository {
  /** By snapshot: its first period under `first`, the later ones under their start. */
  readonly #records = new Map<string, BilledUsage>();

  #key(accountId: string, snapshotId: string, period: string): string {
    return JSON.stringify([accountId, snapshotId, period]);
  }

  async start(usage: BilledUsage): Promise<void> {
    const key = this.#key(usage.accountId, usage.snapshotId, 'first');
    if (!this.#records.has(key)) {
      this.#records.set(key, { ...usage, from: new Date(usage.from).toISOString() });
    }
  }

  async resume(usage: BilledUsage): Promise<void> {
    const from = new Date(usage.from).toISOString();
    const key = this.#key(usage.accountId, usage.snapshotId, from);
    if (!this.#records.has(key)) this.#records.set(key, { ...usage, from, to: null });
  }

  async stop(accountId: string, snapshotId: string, at: string): Promise<void> {
    const to = new Date(at).toISOString();
    for (const [key, record] of this.#records) {
      const open =
        record.accountId === accountId &&
        record.snapshotId === snapshotId &&
        record.to === null &&
        record.from <= to;
      if (open) this.#records.set(key, { ...record, to });
    }
  }

  #overlapping(month: BillingMonth, keep: (usage: BilledUsage) => boolean): BilledUsage[] {
    const period = monthPeriod(month);
    const start = isoOfSecond(period.startSecond);
    const end = isoOfSecond(period.endSecond);
    return [...this.#records.values()]
      .filter((usage) => keep(usage) && overlapsPeriod(usage, start, end))
      .map((usage) => ({ ...usage }));
  }

  async forAccount(accountId: string, month: BillingMonth): Promise<readonly BilledUsage[]> {
    return this.#overlapping(month, (usage) => usage.accountId === accountId).sort(compareUsage);
  }

  async forPartition(
    partition: number,
    month: BillingMonth,
    _through: BillingMonth,
  ): Promise<readonly AccountUsage[]> {
    const byAccount = new Map<string, BilledUsage[]>();
    for (const usage of this.#overlapping(
      month,
      (record) => billingPartitionOf(record.accountId) === partition,
    )) {
      const list = byAccount.get(usage.accountId) ?? [];
      list.push(usage);
      byAccount.set(usage.accountId, list);
    }
    return [...byAccount.entries()]
      .sort(([a], [b]) => byId(a, b))
      .map(([accountId, usage]) => ({
        accountId,
        usage: usage.sort(compareUsage),
      }));
  }
}
