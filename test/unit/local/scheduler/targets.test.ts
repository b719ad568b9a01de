import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../../../../infra/catalog.ts';
import { catalogSchedules } from '../../../../local/scheduler/targets.ts';

describe('catalogSchedules', () => {
  it("starts a workflow target's state machine and invokes a function target, each with its input", async () => {
    const calls: unknown[][] = [];
    const specs: ScheduleSpec[] = [
      { name: 'daily', expression: 'rate(1 day)', target: { workflow: 'billing-run' } },
      {
        name: 'hourly',
        expression: 'rate(1 hour)',
        target: { function: 'sweeper' },
        input: { deep: true },
      },
    ];
    const [daily, hourly] = catalogSchedules(specs, {
      startWorkflow: async (...args) => calls.push(['start', ...args]),
      invokeFunction: async (...args) => calls.push(['invoke', ...args]),
    });

    await daily?.invoke();
    await hourly?.invoke();

    expect([daily?.name, daily?.expression, hourly?.name]).toEqual([
      'daily',
      'rate(1 day)',
      'hourly',
    ]);
    expect(calls).toEqual([
      ['start', 'billing-run', '{}'],
      ['invoke', 'sweeper', { deep: true }],
    ]);
  });
});
