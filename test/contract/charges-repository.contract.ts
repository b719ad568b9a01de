import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChargeLine } from '../../core/billing/charges.ts';
import type { ChargesRepository, StoredCharges } from '../../core/ports/charges-repository.ts';
import { anAccountId, anId } from '../support/records.ts';
import { freshPerTest } from './describe-contract.ts';

function aLine(cents: bigint): ChargeLine {
  return {
    snapshotId: anId('snapshot'),
    name: 'nightly',
    sizeBytes: 16_384 * 2 ** 30,
    from: '2031-03-01T00:00:00.000Z',
    to: '2031-04-01T00:00:00.000Z',
    // Beyond 2^53: byte-seconds must survive storage exactly.
    byteSeconds: 47_104_065_426_229_248_000n,
    cents,
  };
}

function someCharges(
  accountId: string,
  month: string,
  lines: readonly ChargeLine[],
  overrides: Partial<StoredCharges> = {},
): StoredCharges {
  return {
    accountId,
    month,
    status: 'final',
    asOf: '2031-04-01T00:00:00.000Z',
    totalCents: lines.reduce((sum, line) => sum + line.cents, 0n),
    lineCount: lines.length,
    lines,
    computedAt: '2031-04-01T00:15:00.000Z',
    ...overrides,
  };
}

/** A month of its own for each test: month runs are shared by every account of a table. */
function aMonth(): string {
  return `${randomInt(2100, 9000)}-${String(randomInt(1, 13)).padStart(2, '0')}`;
}

/** The behaviour every ChargesRepository shares. */
export function chargesRepositoryContract(make: () => ChargesRepository): void {
  const fresh = freshPerTest(() => ({
    charges: make(),
    accountId: anAccountId(),
    month: aMonth(),
  }));

  describe('estimates', () => {
    it('has nothing for a month never charged', async () => {
      expect(await fresh.charges.get(fresh.accountId, fresh.month)).toBeNull();
    });

    it('keeps the latest estimate, without its lines', async () => {
      const lines = [aLine(120n), aLine(5n)];
      await fresh.charges.saveEstimate(
        someCharges(fresh.accountId, fresh.month, lines, { status: 'estimate' }),
      );
      const later = someCharges(fresh.accountId, fresh.month, [...lines, aLine(1n)], {
        status: 'estimate',
        asOf: '2031-03-20T00:15:00.000Z',
        computedAt: '2031-03-20T00:15:00.000Z',
      });

      const saved = await fresh.charges.saveEstimate(later);

      expect(saved).toBe(true);
      expect(await fresh.charges.get(fresh.accountId, fresh.month)).toEqual({
        ...later,
        lines: [],
      });
    });
  });

  describe('final charges', () => {
    it('stores the final lines and total exactly, lines by snapshot id', async () => {
      const lines = Array.from({ length: 130 }, (_, index) => aLine(BigInt(index)));
      const final = someCharges(fresh.accountId, fresh.month, lines);
      await fresh.charges.saveEstimate(
        someCharges(fresh.accountId, fresh.month, lines.slice(0, 3), { status: 'estimate' }),
      );

      const saved = await fresh.charges.saveFinal(final);

      expect(saved).toBe(true);
      expect(await fresh.charges.get(fresh.accountId, fresh.month)).toEqual(final);
    });

    it('never changes a final month: neither a second final nor an estimate', async () => {
      const final = someCharges(fresh.accountId, fresh.month, [aLine(200n)]);
      await fresh.charges.saveFinal(final);

      const again = await fresh.charges.saveFinal(
        someCharges(fresh.accountId, fresh.month, [aLine(7n), aLine(9n)]),
      );
      const estimate = await fresh.charges.saveEstimate(
        someCharges(fresh.accountId, fresh.month, [aLine(1n)], { status: 'estimate' }),
      );

      expect([again, estimate]).toEqual([false, false]);
      expect(await fresh.charges.get(fresh.accountId, fresh.month)).toEqual(final);
    });

    it("keeps each account's and each month's charges apart", async () => {
      await fresh.charges.saveFinal(someCharges(fresh.accountId, fresh.month, [aLine(200n)]));

      expect(await fresh.charges.get(anAccountId(), fresh.month)).toBeNull();
      expect(await fresh.charges.get(fresh.accountId, `${fresh.month.slice(0, 4)}-13`)).toBeNull();
    });
  });

  describe('month runs', () => {
    it('collects the partitions done, each once, in order', async () => {
      const before = await fresh.charges.monthRun(fresh.month);

      await fresh.charges.recordPartitionsDone(fresh.month, [7, 2]);
      await fresh.charges.recordPartitionsDone(fresh.month, [2, 0]);

      expect(before).toEqual({ month: fresh.month, partitionsDone: [] });
      expect(await fresh.charges.monthRun(fresh.month)).toEqual({
        month: fresh.month,
        partitionsDone: [0, 2, 7],
      });
    });
  });
}
