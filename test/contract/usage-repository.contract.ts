import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { billingPartitionOf } from '../../core/billing/partitions.ts';
import type { BilledUsage } from '../../core/billing/usage.ts';
import type { UsageRepository } from '../../core/ports/usage-repository.ts';
import { anAccountId, anId } from '../support/records.ts';
import { freshPerTest } from './describe-contract.ts';

/** An account id of the given billing partition. */
function anAccountIn(partition: number): string {
  for (;;) {
    const accountId = anAccountId();
    if (billingPartitionOf(accountId) === partition) return accountId;
  }
}

function aUsage(accountId: string, from: string, to: string | null = null): BilledUsage {
  return { accountId, snapshotId: anId('snapshot'), name: 'nightly', sizeBytes: 4096, from, to };
}

function only(accounts: readonly string[]) {
  return (usage: { accountId: string }) => accounts.includes(usage.accountId);
}

/**
 * The behaviour every UsageRepository shares. Tables are shared with other suites, so partition
 * reads are checked on this suite's own accounts only.
 */
export function usageRepositoryContract(make: () => UsageRepository): void {
  const fresh = freshPerTest(() => ({ usage: make(), accountId: anAccountId() }));

  describe('forAccount', () => {
    it('returns exactly the records overlapping the month, by snapshot id', async () => {
      const records = {
        endedBefore: aUsage(
          fresh.accountId,
          '2030-01-10T00:00:00.000Z',
          '2030-02-27T10:00:00.000Z',
        ),
        endedAtStart: aUsage(
          fresh.accountId,
          '2030-02-01T00:00:00.000Z',
          '2030-03-01T00:00:00.000Z',
        ),
        openForYears: aUsage(fresh.accountId, '2027-06-01T00:00:00.000Z'),
        endedWithin: aUsage(
          fresh.accountId,
          '2030-02-01T00:00:00.000Z',
          '2030-03-05T00:00:00.000Z',
        ),
        startedWithin: aUsage(
          fresh.accountId,
          '2030-03-31T23:59:59.000Z',
          '2030-05-01T00:00:00.000Z',
        ),
        startedAfter: aUsage(fresh.accountId, '2030-04-01T00:00:00.000Z'),
      };
      for (const record of Object.values(records)) await fresh.usage.start(record);

      const march = await fresh.usage.forAccount(fresh.accountId, '2030-03');

      expect(march).toEqual(
        [records.openForYears, records.endedWithin, records.startedWithin].sort((a, b) =>
          a.snapshotId.localeCompare(b.snapshotId),
        ),
      );
    });

    it("never returns another account's records", async () => {
      await fresh.usage.start(aUsage(anAccountId(), '2030-03-01T00:00:00.000Z'));

      expect(await fresh.usage.forAccount(fresh.accountId, '2030-03')).toEqual([]);
    });
  });

  describe('start and stop', () => {
    it('keeps the first start when started again', async () => {
      const record = aUsage(fresh.accountId, '2030-03-01T00:00:00.000Z');
      await fresh.usage.start(record);

      await fresh.usage.start({ ...record, sizeBytes: 1, from: '2030-03-09T00:00:00.000Z' });

      expect(await fresh.usage.forAccount(fresh.accountId, '2030-03')).toEqual([record]);
    });

    it('stops once: the first stop wins, and the record leaves the months after it', async () => {
      const record = aUsage(fresh.accountId, '2030-03-01T00:00:00.000Z');
      await fresh.usage.start(record);

      await fresh.usage.stop(fresh.accountId, record.snapshotId, '2030-03-16T12:00:00.000Z');
      await fresh.usage.stop(fresh.accountId, record.snapshotId, '2030-04-20T00:00:00.000Z');

      expect(await fresh.usage.forAccount(fresh.accountId, '2030-03')).toEqual([
        { ...record, to: '2030-03-16T12:00:00.000Z' },
      ]);
      expect(await fresh.usage.forAccount(fresh.accountId, '2030-04')).toEqual([]);
    });

    it('bills a recovered snapshot again in a period of its own, leaving the gap unbilled', async () => {
      const record = aUsage(fresh.accountId, '2030-03-01T00:00:00.000Z');
      await fresh.usage.start(record);
      await fresh.usage.stop(fresh.accountId, record.snapshotId, '2030-03-10T00:00:00.000Z');

      await fresh.usage.resume({ ...record, from: '2030-03-12T06:00:00.000Z' });
      await fresh.usage.resume({ ...record, from: '2030-03-12T06:00:00.000Z', sizeBytes: 1 });

      expect(await fresh.usage.forAccount(fresh.accountId, '2030-03')).toEqual([
        { ...record, to: '2030-03-10T00:00:00.000Z' },
        { ...record, from: '2030-03-12T06:00:00.000Z', to: null },
      ]);
    });

    it('stops only the open period, and not with a time before it began', async () => {
      const record = aUsage(fresh.accountId, '2030-03-01T00:00:00.000Z');
      await fresh.usage.start(record);
      await fresh.usage.stop(fresh.accountId, record.snapshotId, '2030-03-10T00:00:00.000Z');
      await fresh.usage.resume({ ...record, from: '2030-03-12T00:00:00.000Z' });

      // A retried stop of the first period, then the stop of the second.
      await fresh.usage.stop(fresh.accountId, record.snapshotId, '2030-03-10T00:00:00.000Z');
      await fresh.usage.stop(fresh.accountId, record.snapshotId, '2030-03-20T00:00:00.000Z');

      expect(await fresh.usage.forAccount(fresh.accountId, '2030-03')).toEqual([
        { ...record, to: '2030-03-10T00:00:00.000Z' },
        { ...record, from: '2030-03-12T00:00:00.000Z', to: '2030-03-20T00:00:00.000Z' },
      ]);
      expect(await fresh.usage.forAccount(fresh.accountId, '2030-04')).toEqual([]);
    });

    it("reads every period of an account's partition, in order", async () => {
      const record = aUsage(fresh.accountId, '2030-02-01T00:00:00.000Z');
      await fresh.usage.start(record);
      await fresh.usage.stop(fresh.accountId, record.snapshotId, '2030-03-05T00:00:00.000Z');
      await fresh.usage.resume({ ...record, from: '2030-03-07T00:00:00.000Z' });

      const groups = await fresh.usage.forPartition(
        billingPartitionOf(fresh.accountId),
        '2030-03',
        '2030-06',
      );

      expect(groups.filter(only([fresh.accountId])).flatMap((group) => group.usage)).toEqual([
        { ...record, to: '2030-03-05T00:00:00.000Z' },
        { ...record, from: '2030-03-07T00:00:00.000Z', to: null },
      ]);
    });

    it('does nothing when stopping a snapshot that was never billed', async () => {
      await fresh.usage.stop(fresh.accountId, anId('snapshot'), '2030-03-16T12:00:00.000Z');

      expect(await fresh.usage.forAccount(fresh.accountId, '2030-03')).toEqual([]);
    });
  });

  describe('forPartition', () => {
    it("groups the partition's records overlapping the month by account, and no other", async () => {
      const partition = randomInt(16);
      const [first, second] = [anAccountIn(partition), anAccountIn(partition)].sort();
      const elsewhere = anAccountIn((partition + 1) % 16);
      const a1 = aUsage(first as string, '2026-11-02T00:00:00.000Z');
      const a2 = aUsage(first as string, '2030-03-10T00:00:00.000Z', '2030-03-12T00:00:00.000Z');
      const b1 = aUsage(second as string, '2030-02-10T00:00:00.000Z', '2030-05-02T00:00:00.000Z');
      const gone = aUsage(second as string, '2030-01-10T00:00:00.000Z', '2030-02-12T00:00:00.000Z');
      const other = aUsage(elsewhere, '2030-03-10T00:00:00.000Z');
      for (const record of [a1, a2, b1, gone, other]) await fresh.usage.start(record);
      for (const record of [a2, b1, gone]) {
        await fresh.usage.stop(record.accountId, record.snapshotId, record.to as string);
      }

      const groups = await fresh.usage.forPartition(partition, '2030-03', '2030-06');

      expect(groups.filter(only([first as string, second as string, elsewhere]))).toEqual([
        { accountId: first, usage: [a1, a2] },
        { accountId: second, usage: [b1] },
      ]);
    });

    it('finds a record stopped in the month being run, and one stopped in a later month', async () => {
      const partition = billingPartitionOf(fresh.accountId);
      const inMonth = aUsage(fresh.accountId, '2030-02-01T00:00:00.000Z');
      const later = aUsage(fresh.accountId, '2030-02-01T00:00:00.000Z');
      for (const record of [inMonth, later]) await fresh.usage.start(record);
      await fresh.usage.stop(fresh.accountId, inMonth.snapshotId, '2030-03-20T00:00:00.000Z');
      await fresh.usage.stop(fresh.accountId, later.snapshotId, '2030-05-20T00:00:00.000Z');

      const groups = await fresh.usage.forPartition(partition, '2030-03', '2030-06');

      expect(groups.filter(only([fresh.accountId])).flatMap((group) => group.usage)).toEqual(
        [
          { ...inMonth, to: '2030-03-20T00:00:00.000Z' },
          { ...later, to: '2030-05-20T00:00:00.000Z' },
        ].sort((a, b) => a.snapshotId.localeCompare(b.snapshotId)),
      );
    });
  });
}
