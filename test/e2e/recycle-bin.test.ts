import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { E2eAccount } from '../support/e2e-account.ts';

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
  const alice = E2eAccount.perFile('bin-alice');
  const bob = E2eAccount.perFile('bin-bob');

  /** A slice of the account and an available snapshot of it. */
  async function aSnapshot(who: E2eAccount): Promise<Snapshot> {
    const slice = await who.activeSlice({ name: 'bin' });
    return (await who.snapshotOf(slice.id)) as unknown as Snapshot;
  }

  const ids = async (who: E2eAccount, query = '') =>
    (await who.get<{ items: Snapshot[] }>(`/v1/snapshots${query}`)).items.map((each) => each.id);

  describe('settings', () => {
    afterAll(async () => {
      await alice.call('PATCH', '/v1/settings', { body: { recycleBinDays: 7 } });
    });

    it('start at a 7-day bin and keep what the account sets', async () => {
      const before = await alice.call('GET', '/v1/settings');
      const changed = await alice.call('PATCH', '/v1/settings', {
        body: { recycleBinDays: 14 },
      });
      const unchanged = await alice.call('PATCH', '/v1/settings', { body: {} });

      expect(before).toMatchObject({ status: 200, body: { recycleBinDays: 7 } });
      expect(changed).toMatchObject({ status: 200, body: { recycleBinDays: 14 } });
      expect(unchanged).toMatchObject({ status: 200, body: { recycleBinDays: 14 } });
      expect((await alice.call('GET', '/v1/settings')).body).toEqual({
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
        const refused = await alice.call('PATCH', '/v1/settings', { body });

        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(refused.headers.get('content-type')).toBe('application/problem+json');
        expect((refused.body as Problem).errors).toEqual([
          expect.objectContaining({ path: 'body.recycleBinDays' }),
        ]);
      }
      const unknown = await alice.call('PATCH', '/v1/settings', {
        body: { recycleBinDays: 3, retention: 'forever' },
      });
      const notJson = await alice.call('PATCH', '/v1/settings', { rawBody: '{days' });

      expect(unknown.status).toBe(400);
      expect(notJson.status).toBe(400);
      expect((await alice.call('GET', '/v1/settings')).body).toEqual({
        recycleBinDays: 14,
      });
    });

    it("are each account's own", async () => {
      await bob.call('PATCH', '/v1/settings', { body: { recycleBinDays: 2 } });

      expect((await bob.call('GET', '/v1/settings')).body).toEqual({ recycleBinDays: 2 });
      expect((await alice.call('GET', '/v1/settings')).body).toEqual({
        recycleBinDays: 14,
      });
    });
  });

  it('recycles a snapshot out of the lists into the bin, and recovers it', async () => {
    const snapshot = await aSnapshot(alice);

    const deleted = await alice.call('DELETE', `/v1/snapshots/${snapshot.id}`);
    const body = deleted.body as { snapshot: Snapshot; operation: Operation };
    const inBin = await ids(alice, '?status=recycled');
    const inList = await ids(alice);
    const recovered = await alice.call('POST', `/v1/snapshots/${snapshot.id}/recover`);
    const again = await alice.call('POST', `/v1/snapshots/${snapshot.id}/recover`);

    expect(deleted.status).toBe(202);
    expect(body.snapshot).toMatchObject({ status: 'recycled', monthlyCost: { amount: '0.00' } });
    expect(body.operation).toMatchObject({ type: 'snapshot.delete', status: 'succeeded' });
    expect(inBin).toContain(snapshot.id);
    expect(inList).not.toContain(snapshot.id);
    expect(recovered).toMatchObject({ status: 200, body: { status: 'available', purgeAt: null } });
    expect(again).toMatchObject({ status: 409, body: { code: 'SNAPSHOT_NOT_RECYCLED' } });
    expect(await ids(alice)).toContain(snapshot.id);
    expect(await ids(alice, '?status=recycled')).not.toContain(snapshot.id);
  });

  it("answers 404 to another account on every recycle bin route, and leaves alice's bin as it was", async () => {
    const snapshot = await aSnapshot(alice);
    await alice.call('DELETE', `/v1/snapshots/${snapshot.id}`);

    const attempts = await Promise.all([
      bob.call('DELETE', `/v1/snapshots/${snapshot.id}`),
      bob.call('DELETE', `/v1/snapshots/${snapshot.id}?purge=true`),
      bob.call('POST', `/v1/snapshots/${snapshot.id}/recover`),
      bob.call('GET', `/v1/snapshots/${snapshot.id}`),
    ]);

    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(attempt.body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
      expect((attempt.body as Problem).detail).toContain(snapshot.id);
    }
    expect(await ids(bob, '?status=recycled')).toEqual([]);
    expect(await ids(alice, '?status=recycled')).toContain(snapshot.id);
    const stored = (await alice.call('GET', `/v1/snapshots/${snapshot.id}`)).body as Snapshot;
    expect(stored.status).toBe('recycled');
  });

  it('replays a retried deletion, and refuses its key for a purge', async () => {
    const snapshot = await aSnapshot(alice);
    const key = { 'idempotency-key': randomUUID() };

    const first = await alice.call('DELETE', `/v1/snapshots/${snapshot.id}`, {
      headers: key,
    });
    const retry = await alice.call('DELETE', `/v1/snapshots/${snapshot.id}`, {
      headers: key,
    });
    const purge = await alice.call('DELETE', `/v1/snapshots/${snapshot.id}?purge=true`, {
      headers: key,
    });

    expect(first.status).toBe(202);
    expect(retry).toMatchObject({ status: 202, body: first.body as object });
    expect(purge).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    const stored = (await alice.call('GET', `/v1/snapshots/${snapshot.id}`)).body as Snapshot;
    expect(stored.status).toBe('recycled');
  });

  it('refuses a status other than recycled, and a purge other than true or false', async () => {
    const snapshot = await aSnapshot(alice);

    const status = await alice.call('GET', '/v1/snapshots?status=deleted');
    const purge = await alice.call('DELETE', `/v1/snapshots/${snapshot.id}?purge=now`);

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
