import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type EventBridgeEndpoint,
  readEventLog,
  startEventBridge,
} from '../../local/eventbridge/index.ts';
import { startScheduler } from '../../local/scheduler/index.ts';
import { ManualTimers } from '../support/manual-timers.ts';
import { tempDirPerTest } from '../support/temp-dir.ts';

const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';

const dataDir = tempDirPerTest('local-scheduler-');
let endpoint: EventBridgeEndpoint;
let client: EventBridgeClient;
const invokeLambda = vi.fn(async (_name: string, _event: unknown) => undefined);

beforeEach(async () => {
  invokeLambda.mockClear();
  endpoint = await startEventBridge({
    port: 0,
    dataDir: dataDir.path,
    region: REGION,
    accountId: ACCOUNT,
    buses: ['slice-snapshots'],
    rules: [
      {
        name: 'charges-to-lambda',
        bus: 'slice-snapshots',
        eventPattern: { 'detail-type': ['Monthly Charges Computed'] },
        targets: [{ id: 'fn', arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:on-charges` }],
      },
    ],
    invokeLambda,
    startExecution: async () => undefined,
  });
  client = new EventBridgeClient({
    endpoint: endpoint.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterEach(async () => {
  client.destroy();
  await endpoint.close();
});

describe('local scheduler', () => {
  it('runs a monthly billing schedule at its cron time, and its event reaches the rule target', async () => {
    const clock = new ManualTimers('2026-01-31T23:00:00.000Z');
    const runs: string[] = [];
    const scheduler = startScheduler({
      schedules: [
        {
          name: 'billing-run',
          expression: 'cron(15 0 1 * ? *)',
          invoke: async () => {
            runs.push(clock.now().toISOString());
            await client.send(
              new PutEventsCommand({
                Entries: [
                  {
                    EventBusName: 'slice-snapshots',
                    Source: 'slice-snapshots',
                    DetailType: 'Monthly Charges Computed',
                    Detail: JSON.stringify({ month: '2026-01' }),
                  },
                ],
              }),
            );
          },
        },
      ],
      now: () => clock.now(),
      timers: clock,
    });

    clock.advanceTo('2026-02-01T00:14:59.000Z');
    const early = runs.length;
    clock.advanceTo('2026-02-01T00:15:00.000Z');
    await expect.poll(() => readEventLog(dataDir.path).length, { timeout: 10_000 }).toBe(1);
    const [entry] = readEventLog(dataDir.path);
    const next = scheduler.next('billing-run').toISOString();
    scheduler.close();

    expect(early).toBe(0);
    expect(runs).toEqual(['2026-02-01T00:15:00.000Z']);
    expect(entry?.matchedRules).toEqual(['charges-to-lambda']);
    expect(invokeLambda).toHaveBeenCalledWith(
      'on-charges',
      expect.objectContaining({ detail: { month: '2026-01' } }),
    );
    expect(next).toBe('2026-03-01T00:15:00.000Z');
  });
});
