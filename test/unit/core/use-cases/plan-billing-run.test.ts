import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { FutureBillingMonthError } from '../../../../core/billing/billing-errors.ts';
import { ALL_BILLING_PARTITIONS } from '../../../../core/billing/partitions.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { planBillingRun } from '../../../../core/use-cases/plan-billing-run.ts';

let ports: MemoryPorts;

beforeEach(() => {
  ports = createMemoryPorts({ now: '2026-04-01T00:15:00.000Z' });
});

/** The plan of a run over `month` that bills every partition, one item each. */
const planOfEveryPartition = (month: string, status: 'final' | 'estimate') => ({
  month,
  status,
  items: ALL_BILLING_PARTITIONS.map((partition) => ({ month, partitions: [partition] })),
});

describe('planBillingRun', () => {
  it('plans the month just ended on the 1st, one item per partition', async () => {
    const plan = await planBillingRun(ports);

    expect(plan).toEqual(planOfEveryPartition('2026-03', 'final'));
  });

  it('plans every partition of a closed month again: a re-run gives every account its event', async () => {
    await ports.charges.recordPartitionsDone('2026-03', ALL_BILLING_PARTITIONS);

    const plan = await planBillingRun(ports, { month: '2026-03' });

    expect(plan).toEqual(planOfEveryPartition('2026-03', 'final'));
  });

  it('closes the month before on a later day while it is not final', async () => {
    ports.clock.set('2026-04-03T00:15:00.000Z');
    await ports.charges.recordPartitionsDone('2026-03', [1, 2]);

    const plan = await planBillingRun(ports);

    expect(plan).toEqual(planOfEveryPartition('2026-03', 'final'));
  });

  it('plans the month-to-date estimate, every partition, once the month before is final', async () => {
    ports.clock.set('2026-04-16T00:15:00.000Z');
    await ports.charges.recordPartitionsDone('2026-03', ALL_BILLING_PARTITIONS);

    const plan = await planBillingRun(ports);

    expect(plan).toEqual(planOfEveryPartition('2026-04', 'estimate'));
  });

  it('plans the month given by hand, however long ago', async () => {
    const plan = await planBillingRun(ports, { month: '2025-11' });

    expect(plan).toEqual(planOfEveryPartition('2025-11', 'final'));
  });

  it('refuses a month that has not begun', async () => {
    await expect(planBillingRun(ports, { month: '2026-05' })).rejects.toThrow(
      FutureBillingMonthError,
    );
  });

  it('refuses a month not written YYYY-MM', async () => {
    await expect(planBillingRun(ports, { month: '2026-4' })).rejects.toThrow(InvalidInputError);
  });
});
