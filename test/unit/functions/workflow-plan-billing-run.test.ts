import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { billingEnvironment, loadedHandler, mockedDocuments } from './loaded-handler.ts';

describe('workflow-plan-billing-run', () => {
  const documents = mockedDocuments();
  const handler = loadedHandler('functions/workflow-plan-billing-run.ts', billingEnvironment);
  afterAll(() => vi.useRealTimers());

  it.each([[{ month: '2026-13' }], [{ mnth: '2026-03' }], [{ month: '2026-03', partitions: [3] }]])(
    'refuses %j before touching the table',
    async (input) => {
      await expect(handler(input)).rejects.toThrow();

      expect(documents.calls()).toHaveLength(0);
    },
  );

  it("plans every partition of the month the schedule's {} picks, read from the table", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-04-03T00:15:00.000Z') });
    documents.on(GetCommand).resolves({ Item: { partitionsDone: new Set([0, 1, 2, 3, 4, 5, 6]) } });

    const plan = (await handler({})) as {
      month: string;
      items: { month: string; partitions: number[] }[];
    };

    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'table',
      Key: { pk: 'BILLING-RUN', sk: 'MONTH#2026-03' },
      ConsistentRead: true,
    });
    expect(plan.month).toBe('2026-03');
    expect(plan.items.map((item) => item.partitions)).toEqual(
      Array.from({ length: 16 }, (_, partition) => [partition]),
    );
  });
});
