import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, tokenFor, until } from '../support/e2e-client.ts';

interface Snapshot {
  id: string;
  status: string;
  purgeAt: string | null;
  monthlyCost: { amount: string };
}
interface Operation {
  id: string;
  type: string;
  status: string;
}
interface Problem {
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

/** The recycle bin and the account settings through `npm start`, as a user's script calls them. */
describe('the recycle bin through npm start', () => {
  const alice = `acct-bin-alice-${randomUUID().slice(0, 8)}`;
  const bob = `acct-bin-bob-${randomUUID().slice(0, 8)}`;
  let aliceToken: string;
  let bobToken: string;

  beforeAll(async () => {
    aliceToken = await tokenFor(alice);
    bobToken = await tokenFor(bob);
  });

  async function done(token: string, operationId: string): Promise<Operation> {
    return until(
      async () => (await call(token, 'GET', `/v1/operations/${operationId}`)).body as Operation,
      (operation) => operation.status !== 'running',
    );
  }

  /** A slice of `token`'s account and an available snapshot of it. */
  async function aSnapshot(token: string): Promise<Snapshot> {
    const created = await call(token, 'POST', '/v1/slices', {
      body: { name: 'bin', region: 'fra1', diskGB: 1 },
    });
    const { slice, operation } = created.body as { slice: { id: string }; operation: Operation };
    expect(await done(token, operation.id)).toMatchObject({ status: 'succeeded' });
    const taken = await call(token, 'POST', `/v1/slices/${slice.id}/snapshots`, { body: {} });
    const accepted = taken.body as { snapshot: Snapshot; operation: Operation };
    expect(await done(token, accepted.operation.id)).toMatchObject({ status: 'succeeded' });
    return (await call(token, 'GET', `/v1/snapshots/${accepted.snapshot.id}`)).body as Snapshot;
  }

  const ids = async (token: string, query = '') =>
    ((await call(token, 'GET', `/v1/snapshots${query}`)).body as { items: Snapshot[] }).items.map(
      (each) => each.id,
    );

  describe('settings', () => {
    afterAll(async () => {
      await call(aliceToken, 'PATCH', '/v1/settings', { body: { recycleBinDays: 7 } });
    });

    it('start at a 7-day bin and keep what the account sets', async () => {
      const before = await call(aliceToken, 'GET', '/v1/settings');
      const changed = await call(aliceToken, 'PATCH', '/v1/settings', {
        body: { recycleBinDays: 14 },
      });
      const unchanged = await call(aliceToken, 'PATCH', '/v1/settings', { body: {} });

      expect(before).toMatchObject({ status: 200, body: { recycleBinDays: 7 } });
      expect(changed).toMatchObject({ status: 200, body: { recycleBinDays: 14 } });
      expect(unchanged).toMatchObject({ status: 200, body: { recycleBinDays: 14 } });
      expect((await call(aliceToken, 'GET', '/v1/settings')).body).toEqual({
        recycleBinDays: 14,
      });
    });

    it('refuse a recycleBinDays outside 0..14, a fraction, a string and unknown fields, naming each', async () => {
      const bodies = [
        { recycleBinDays: 15 },
        { recycleBinDays: -1 },
        { recycleBinDays: 2.5 },
        { recycleBinDays: '7' },
        { recycleBinDays: null },
      ];
      for (const body of bodies) {
        const refused = await call(aliceToken, 'PATCH', '/v1/settings', { body });

        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(refused.headers.get('content-type')).toBe('application/problem+json');
        expect((refused.body as Problem).errors).toEqual([
          expect.objectContaining({ path: 'body.recycleBinDays' }),
        ]);
      }
      const unknown = await call(aliceToken, 'PATCH', '/v1/settings', {
        body: { recycleBinDays: 3, retention: 'forever' },
      });
      const notJson = await call(aliceToken, 'PATCH', '/v1/settings', { rawBody: '{days' });

      expect(unknown.status).toBe(400);
      expect(notJson.status).toBe(400);
      expect((await call(aliceToken, 'GET', '/v1/settings')).body).toEqual({
        recycleBinDays: 14,
      });
    });

    it("are each account's own", async () => {
      await call(bobToken, 'PATCH', '/v1/settings', { body: { recycleBinDays: 2 } });

      expect((await call(bobToken, 'GET', '/v1/settings')).body).toEqual({ recycleBinDays: 2 });
      expect((await call(aliceToken, 'GET', '/v1/settings')).body).toEqual({
        recycleBinDays: 14,
      });
    });
  });

  it('recycles a snapshot out of the lists into the bin, and recovers it', async () => {
    const snapshot = await aSnapshot(aliceToken);

    const deleted = await call(aliceToken, 'DELETE', `/v1/snapshots/${snapshot.id}`);
    const body = deleted.body as { snapshot: Snapshot; operation: Operation };
    const inBin = await ids(aliceToken, '?status=recycled');
    const inList = await ids(aliceToken);
    const recovered = await call(aliceToken, 'POST', `/v1/snapshots/${snapshot.id}/recover`);
    const again = await call(aliceToken, 'POST', `/v1/snapshots/${snapshot.id}/recover`);

    expect(deleted.status).toBe(202);
    expect(body.snapshot).toMatchObject({ status: 'recycled', monthlyCost: { amount: '0.00' } });
    expect(body.operation).toMatchObject({ type: 'snapshot.delete', status: 'succeeded' });
    expect(inBin).toContain(snapshot.id);
    expect(inList).not.toContain(snapshot.id);
    expect(recovered).toMatchObject({ status: 200, body: { status: 'available', purgeAt: null } });
    expect(again).toMatchObject({ status: 409, body: { code: 'SNAPSHOT_NOT_RECYCLED' } });
    expect(await ids(aliceToken)).toContain(snapshot.id);
    expect(await ids(aliceToken, '?status=recycled')).not.toContain(snapshot.id);
  });

  it("answers 404 to another account on every recycle bin route, and leaves alice's bin as it was", async () => {
    const snapshot = await aSnapshot(aliceToken);
    await call(aliceToken, 'DELETE', `/v1/snapshots/${snapshot.id}`);

    const attempts = await Promise.all([
      call(bobToken, 'DELETE', `/v1/snapshots/${snapshot.id}`),
      call(bobToken, 'DELETE', `/v1/snapshots/${snapshot.id}?purge=true`),
      call(bobToken, 'POST', `/v1/snapshots/${snapshot.id}/recover`),
      call(bobToken, 'GET', `/v1/snapshots/${snapshot.id}`),
    ]);

    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(attempt.body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
      expect((attempt.body as Problem).detail).toContain(snapshot.id);
    }
    expect(await ids(bobToken, '?status=recycled')).toEqual([]);
    expect(await ids(aliceToken, '?status=recycled')).toContain(snapshot.id);
    const stored = (await call(aliceToken, 'GET', `/v1/snapshots/${snapshot.id}`)).body as Snapshot;
    expect(stored.status).toBe('recycled');
  });

  it('replays a retried deletion, and refuses its key for a purge', async () => {
    const snapshot = await aSnapshot(aliceToken);
    const key = { 'idempotency-key': randomUUID() };

    const first = await call(aliceToken, 'DELETE', `/v1/snapshots/${snapshot.id}`, {
      headers: key,
    });
    const retry = await call(aliceToken, 'DELETE', `/v1/snapshots/${snapshot.id}`, {
      headers: key,
    });
    const purge = await call(aliceToken, 'DELETE', `/v1/snapshots/${snapshot.id}?purge=true`, {
      headers: key,
    });

    expect(first.status).toBe(202);
    expect(retry).toMatchObject({ status: 202, body: first.body as object });
    expect(purge).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    const stored = (await call(aliceToken, 'GET', `/v1/snapshots/${snapshot.id}`)).body as Snapshot;
    expect(stored.status).toBe('recycled');
  });

  it('refuses a status other than recycled, and a purge other than true or false', async () => {
    const snapshot = await aSnapshot(aliceToken);

    const status = await call(aliceToken, 'GET', '/v1/snapshots?status=deleted');
    const purge = await call(aliceToken, 'DELETE', `/v1/snapshots/${snapshot.id}?purge=now`);

    expect(status.status).toBe(400);
    expect((status.body as Problem).errors).toEqual([
      expect.objectContaining({ path: 'query.status' }),
    ]);
    expect(purge.status).toBe(400);
    expect((purge.body as Problem).errors).toEqual([
      expect.objectContaining({ path: 'query.purge' }),
    ]);
  });

  it('documents the new routes in the OpenAPI document', async () => {
    const response = await fetch(`${inject('apiUrl')}/openapi.json`);
    const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };

    expect(Object.keys(document.paths['/v1/snapshots/{id}/recover'] ?? {})).toEqual(['post']);
    expect(Object.keys(document.paths['/v1/settings'] ?? {}).sort()).toEqual(['get', 'patch']);
  });
});
