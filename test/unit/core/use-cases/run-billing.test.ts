import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import {
  BillingRunIncompleteError,
  FutureBillingMonthError,
} from '../../../../core/billing/billing-errors.ts';
import { billingWindow, chargeLineFor } from '../../../../core/billing/charges.ts';
import { formatCents } from '../../../../core/billing/money.ts';
import { ALL_BILLING_PARTITIONS, billingPartitionOf } from '../../../../core/billing/partitions.ts';
import { usageOf } from '../../../../core/billing/usage.ts';
import { EVENT } from '../../../../core/events/event-types.ts';
import type { StoredCharges } from '../../../../core/ports/charges-repository.ts';
import type { WriteEvents } from '../../../../core/ports/outbox.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import { runBilling } from '../../../../core/use-cases/run-billing.ts';
import { startBilling } from '../../../../core/use-cases/start-billing.ts';
import { stopBilling } from '../../../../core/use-cases/stop-billing.ts';
import { billMarch } from '../../../support/billed-march.ts';
import { anAvailableSnapshot, deletionRequested } from '../../../support/records.ts';

const GIB = BYTES_PER_GIB;
const ALICE = 'acct-alice';
const BOB = 'acct-bob';
const CAROL = 'acct-carol';

let ports: MemoryPorts;

beforeEach(() => {
  ports = createMemoryPorts({ now: '2026-04-01T00:15:00.000Z' });
});

describe('runBilling', () => {
  it('closes the month just ended on the 1st: final charges and one event per account', async () => {
    const { kept, deleted, bobs } = await billMarch(ports, ALICE, BOB);

    const summary = await runBilling(ports);

    const alice = await ports.charges.get(ALICE, '2026-03');
    const bob = await ports.charges.get(BOB, '2026-03');
    expect(alice?.status).toBe('final');
    // 2.00 for the month, and 15.5 of 31 days of 2.00 = 1.00.
    expect(alice?.lines.map((line) => [line.snapshotId, line.to, line.cents])).toEqual([
      [kept.id, '2026-04-01T00:00:00.000Z', 200n],
      [deleted.id, '2026-03-16T12:00:00.000Z', 100n],
    ]);
    expect(alice?.totalCents).toBe(300n);
    // 10 GiB is 0.50 a month; 16 of 31 days = 0.258…
    expect(bob?.lines.map((line) => [line.snapshotId, line.cents])).toEqual([[bobs.id, 26n]]);
    expect(ports.events.published).toEqual(
      [
        {
          detailType: EVENT.monthlyChargesComputed,
          detail: {
            accountId: ALICE,
            month: '2026-03',
            status: 'final',
            total: '3.00',
            currency: 'USD',
            lineCount: 2,
          },
        },
        {
          detailType: EVENT.monthlyChargesComputed,
          detail: {
            accountId: BOB,
            month: '2026-03',
            status: 'final',
            total: '0.26',
            currency: 'USD',
            lineCount: 1,
          },
        },
      ].sort(
        (a, b) => billingPartitionOf(a.detail.accountId) - billingPartitionOf(b.detail.accountId),
      ),
    );
    expect(summary).toEqual({
      month: '2026-03',
      status: 'final',
      partitions: ALL_BILLING_PARTITIONS,
      accounts: 2,
      unchanged: 0,
      lines: 3,
      total: '3.26',
      monthFinal: true,
    });
  });

  it('changes nothing, writes no line and emits no event again when run again', async () => {
    await billMarch(ports, ALICE, BOB);
    await runBilling(ports);
    const first = await ports.charges.get(ALICE, '2026-03');
    const linesWritten = ports.charges.linesWritten;
    const firstEvents = [...ports.events.published];

    const again = await runBilling(ports, { month: '2026-03' });

    expect(await ports.charges.get(ALICE, '2026-03')).toEqual(first);
    expect(ports.charges.linesWritten).toBe(linesWritten);
    expect(firstEvents).toHaveLength(2);
    expect(ports.events.published).toEqual(firstEvents);
    expect(again).toMatchObject({ accounts: 2, unchanged: 2, total: '3.26' });
  });

  it('never changes a final month, even when the usage changed since', async () => {
    const { kept } = await billMarch(ports, ALICE, BOB);
    await runBilling(ports);
    const first = await ports.charges.get(ALICE, '2026-03');

    await stopBilling(ports, deletionRequested(kept, '2026-03-05T00:00:00.000Z'));
    await runBilling(ports, { month: '2026-03' });

    expect(await ports.charges.get(ALICE, '2026-03')).toEqual(first);
  });

  it('refreshes the month-to-date estimate on other days, once the month before is final', async () => {
    await billMarch(ports, ALICE, BOB);
    await runBilling(ports);
    ports.clock.set('2026-04-16T00:15:00.000Z');
    ports.events.published.length = 0;

    const summary = await runBilling(ports);

    const alice = await ports.charges.get(ALICE, '2026-04');
    // Alice's kept 40 GiB for 15 days and 15 minutes of 30 days: 1.0007…
    expect(alice).toMatchObject({
      status: 'estimate',
      asOf: '2026-04-16T00:15:00.000Z',
      totalCents: 100n,
      lineCount: 1,
      lines: [],
    });
    expect(summary).toMatchObject({
      month: '2026-04',
      status: 'estimate',
      accounts: 2,
      monthFinal: false,
    });
    expect(
      ports.events.published.map((event) => [event.detail.accountId, event.detail.status]),
    ).toEqual(
      expect.arrayContaining([
        [ALICE, 'estimate'],
        [BOB, 'estimate'],
      ]),
    );
    expect(ports.events.published).toHaveLength(2);
  });

  it('closes the month before on a later day when no run closed it on the 1st', async () => {
    await billMarch(ports, ALICE, BOB);
    ports.clock.set('2026-04-03T00:15:00.000Z');

    const summary = await runBilling(ports);

    expect(summary).toMatchObject({ month: '2026-03', status: 'final', monthFinal: true });
    expect((await ports.charges.get(BOB, '2026-03'))?.status).toBe('final');
  });

  it('leaves out accounts whose snapshots were all deleted before the month', async () => {
    const old = anAvailableSnapshot({ accountId: CAROL, completedAt: '2026-01-05T00:00:00.000Z' });
    await startBilling(ports, old);
    await stopBilling(ports, deletionRequested(old, '2026-02-20T00:00:00.000Z'));

    const summary = await runBilling(ports, { month: '2026-03' });

    expect(summary.accounts).toBe(0);
    expect(ports.events.published).toEqual([]);
    expect(await ports.charges.get(CAROL, '2026-03')).toBeNull();
  });

  it('refuses a month that has not begun', async () => {
    await expect(runBilling(ports, { month: '2026-05' })).rejects.toThrow(FutureBillingMonthError);
  });

  it('runs only the partitions it is given, and the month is final once all are done', async () => {
    await billMarch(ports, ALICE, BOB);
    const alicePartition = billingPartitionOf(ALICE);
    const others = ALL_BILLING_PARTITIONS.filter((partition) => partition !== alicePartition);

    const first = await runBilling(ports, { month: '2026-03', partitions: [alicePartition] });
    const bobBefore = await ports.charges.get(BOB, '2026-03');
    const last = await runBilling(ports, { month: '2026-03', partitions: others });

    expect(first).toMatchObject({ partitions: [alicePartition], monthFinal: false });
    expect(bobBefore).toBeNull();
    expect(last.monthFinal).toBe(true);
    expect((await ports.charges.get(BOB, '2026-03'))?.status).toBe('final');
  });

  /**
   * Refuses Bob's final charges from now on, as a throttled table would; answers the store's own
   * saveFinal, for a test to put back.
   */
  function refuseBobsFinalCharges() {
    const saveFinal = ports.charges.saveFinal.bind(ports.charges);
    ports.charges.saveFinal = async (charges: StoredCharges, write?: WriteEvents) => {
      if (charges.accountId === BOB) throw new Error('throttled');
      return saveFinal(charges, write);
    };
    return saveFinal;
  }

  it('charges the other accounts when one fails, then throws and leaves its partition open', async () => {
    await billMarch(ports, ALICE, BOB);
    refuseBobsFinalCharges();

    const run = runBilling(ports);

    await expect(run).rejects.toThrow(BillingRunIncompleteError);
    await expect(run).rejects.toMatchObject({ failedAccounts: [BOB] });
    expect((await ports.charges.get(ALICE, '2026-03'))?.status).toBe('final');
    expect(ports.events.published.map((event) => event.detail.accountId)).toEqual([ALICE]);
    const { partitionsDone } = await ports.charges.monthRun('2026-03');
    expect(partitionsDone).not.toContain(billingPartitionOf(BOB));
    expect(partitionsDone).toContain(billingPartitionOf(ALICE));
  });

  it('completes a month on the run after a failed one, leaving the accounts already charged', async () => {
    await billMarch(ports, ALICE, BOB);
    const saveFinal = refuseBobsFinalCharges();
    await runBilling(ports).catch(() => undefined);
    const alice = await ports.charges.get(ALICE, '2026-03');
    ports.charges.saveFinal = saveFinal;

    const retry = await runBilling(ports);

    expect(retry).toMatchObject({ accounts: 2, unchanged: 1, monthFinal: true });
    expect(await ports.charges.get(ALICE, '2026-03')).toEqual(alice);
    expect((await ports.charges.get(BOB, '2026-03'))?.status).toBe('final');
  });

  it('makes the sum over accounts equal the sum over snapshots, for any usage', async () => {
    const month = '2026-02';
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const day = 86_400_000;
    const snapshotArbitrary = fc.record({
      account: fc.integer({ min: 0, max: 7 }),
      sizeBytes: fc.integer({ min: 0, max: 2_048 * GIB }),
      startDay: fc.integer({ min: 0, max: 80 * 24 }).map((hours) => hours * 3_600_000),
      keptFor: fc.option(fc.integer({ min: 0, max: 60 * day })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(snapshotArbitrary, { maxLength: 30 }), async (specs) => {
        const run = createMemoryPorts({ now: '2026-03-01T00:15:00.000Z' });
        const snapshots = [];
        for (const spec of specs) {
          const completedAt = new Date(start + spec.startDay).toISOString();
          let snapshot = anAvailableSnapshot({
            accountId: `acct-${spec.account}`,
            completedAt,
            sizeBytes: spec.sizeBytes,
          });
          await startBilling(run, snapshot);
          if (spec.keptFor !== null) {
            snapshot = deletionRequested(
              snapshot,
              new Date(start + spec.startDay + spec.keptFor).toISOString(),
            );
            await stopBilling(run, snapshot);
          }
          snapshots.push(snapshot);
        }

        const summary = await runBilling(run, { month });

        const window = billingWindow(month);
        const perSnapshot = snapshots.reduce((sum, snapshot) => {
          const completedAt = snapshot.completedAt ?? '';
          const line = chargeLineFor(usageOf({ ...snapshot, completedAt }), window);
          return sum + (line?.cents ?? 0n);
        }, 0n);
        let perAccount = 0n;
        for (let account = 0; account < 8; account += 1) {
          perAccount += (await run.charges.get(`acct-${account}`, month))?.totalCents ?? 0n;
        }
        return perAccount === perSnapshot && summary.total === formatCents(perSnapshot);
      }),
      { numRuns: 60 },
    );
  });
});
