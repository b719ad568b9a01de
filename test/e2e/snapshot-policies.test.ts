import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { E2eAccount } from '../support/e2e-account.ts';
import { call, tokenFor } from '../support/e2e-client.ts';

interface Slice {
  id: string;
  status: string;
}
interface Policy {
  id: string;
  name: string;
  schedule: Record<string, string>;
  nextRunAt: string | null;
  createdAt: string;
}
interface Simulation {
  policyId: string | null;
  runs: string[];
  slices: {
    sliceId: string;
    status: string;
    endOfWindow: { taken: number; snapshots: { decision: string; rule?: string }[] };
  }[];
  monthlyCost: { now: { amount: string }; endOfWindow: { amount: string } };
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

const account = (name: string) => `acct-${name}-${randomUUID().slice(0, 8)}`;

async function activeSlice(token: string, labels: Record<string, string>): Promise<Slice> {
  return (await new E2eAccount(token).activeSlice({ labels })) as unknown as Slice;
}

describe('snapshot policies over HTTP', () => {
  it('creates, simulates, edits in place and deletes a policy; another account sees none of it', async () => {
    const token = await tokenFor(account('policies'));
    const other = await tokenFor(account('other'));
    const slice = await activeSlice(token, { env: 'prod' });

    const created = await call(token, 'POST', '/v1/snapshot-policies', {
      body: {
        name: 'prod hourly',
        schedule: { every: '1h' },
        target: { sliceSelector: 'env==prod' },
        retain: { last: 3, daily: 7, weekly: 4 },
      },
    });
    expect(created.status).toBe(201);
    const policy = created.body as Policy;
    expect(Date.parse(policy.nextRunAt ?? '') - Date.now()).toBeLessThanOrEqual(3_600_000);

    const simulated = await call(token, 'POST', `/v1/snapshot-policies/${policy.id}/simulate`, {
      body: { days: 40 },
    });
    expect(simulated.status).toBe(200);
    const simulation = simulated.body as Simulation;
    expect(simulation.runs).toHaveLength(960);
    expect(simulation.slices).toEqual([
      expect.objectContaining({ sliceId: slice.id, status: 'active' }),
    ]);
    expect(simulation.slices[0]?.endOfWindow.taken).toBe(960);
    expect(
      simulation.slices[0]?.endOfWindow.snapshots.filter((s) => s.decision === 'keep'),
    ).toHaveLength(14);

    const patched = await call(token, 'PATCH', `/v1/snapshot-policies/${policy.id}`, {
      body: { schedule: { every: '1d', at: '03:15' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: policy.id, createdAt: policy.createdAt });
    expect((patched.body as Policy).nextRunAt).toMatch(/T03:15:00\.000Z$/);

    expect((await call(token, 'GET', `/v1/snapshot-policies/${policy.id}/runs`)).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await call(other, 'GET', `/v1/snapshot-policies/${policy.id}/runs`)).status).toBe(404);
    const theirs = await call(other, 'GET', `/v1/snapshot-policies/${policy.id}`);
    expect(theirs.status).toBe(404);
    expect((theirs.body as Problem).code).toBe('POLICY_NOT_FOUND');
    expect((await call(other, 'GET', '/v1/snapshot-policies')).body).toEqual({
      items: [],
      nextCursor: null,
    });
    const theirSimulation = await call(other, 'POST', '/v1/snapshot-policies/simulate', {
      body: {
        name: 'theirs',
        schedule: { every: '1h' },
        target: { sliceIds: [slice.id] },
        retain: { last: 1 },
        days: 1,
      },
    });
    expect((theirSimulation.body as Simulation).slices).toEqual([
      expect.objectContaining({ sliceId: slice.id, status: 'gone', sliceName: null }),
    ]);

    expect((await call(token, 'DELETE', `/v1/snapshot-policies/${policy.id}`)).status).toBe(204);
    expect((await call(token, 'GET', `/v1/snapshot-policies/${policy.id}`)).status).toBe(404);
  });

  it('answers problem+json naming a cron that fires more often than hourly', async () => {
    const token = await tokenFor(account('cron'));

    const refused = await call(token, 'POST', '/v1/snapshot-policies/simulate', {
      body: {
        name: 'too often',
        schedule: { cron: 'cron(0/20 * * * ? *)' },
        target: { sliceSelector: 'env==prod' },
        retain: { last: 1 },
      },
    });

    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((refused.body as Problem).errors).toEqual([
      { path: 'body.schedule.cron', message: expect.stringContaining('at most once an hour') },
    ]);
  });
});
