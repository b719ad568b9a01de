import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor } from '../support/e2e-client.ts';
import { localSnapshotRepository } from '../support/e2e-records.ts';
import { aSnapshot } from '../support/records.ts';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface SliceBody {
  slice: { id: string; name: string; status: string };
  operation: { id: string; type: string; status: string };
}

/**
 * Checks that `response` is a 400 problem+json whose detail or one of whose error paths matches
 * `named` (a string is looked for as it is).
 */
function expectProblemNaming(
  response: { status: number; body: unknown; headers: Headers },
  named: RegExp | string,
): void {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = response.body as Problem;
  const mentioned = [problem.detail, ...(problem.errors ?? []).map((error) => error.path)];
  expect(mentioned.join(' ')).toMatch(named);
}

const seeding = localSnapshotRepository();
afterAll(() => seeding.close());

async function seedSnapshots(accountId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const snapshot = aSnapshot({ accountId, name: `seeded-${i}` });
    await seeding.repository.create(snapshot);
    ids.push(snapshot.id);
  }
  return ids;
}

describe('records API, across accounts', () => {
  const alice = `acct-alice-${randomUUID().slice(0, 8)}`;
  const bob = `acct-bob-${randomUUID().slice(0, 8)}`;
  let aliceToken: string;
  let bobToken: string;
  let created: SliceBody;
  let snapshotId: string;

  beforeAll(async () => {
    aliceToken = await tokenFor(alice);
    bobToken = await tokenFor(bob);
    const response = await call(aliceToken, 'POST', '/v1/slices', {
      body: { name: 'web-1', region: 'fra1', diskGB: 1 },
    });
    expect(response.status).toBe(202);
    created = response.body as SliceBody;
    [snapshotId] = (await seedSnapshots(alice, 1)) as [string];
  });

  it('answers 404 to another account on every route', async () => {
    const attempts = [
      call(bobToken, 'GET', `/v1/slices/${created.slice.id}`),
      call(bobToken, 'GET', `/v1/snapshots/${snapshotId}`),
      call(bobToken, 'PATCH', `/v1/snapshots/${snapshotId}`, { body: { name: 'stolen' } }),
      call(bobToken, 'GET', `/v1/operations/${created.operation.id}`),
      call(bobToken, 'GET', `/v1/snapshots/${snapshotId}/changes?base=${snapshotId}`),
      call(bobToken, 'POST', `/v1/snapshots/${snapshotId}/verify`),
    ];

    const answers = await Promise.all(attempts);

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404]);
    const own = await call(aliceToken, 'GET', `/v1/snapshots/${snapshotId}`);
    expect((own.body as { name: string }).name).toBe('seeded-0');
  });

  it.each([
    ['slices', '/v1/slices', '/v1/slices', () => created.slice.id],
    ['operations', '/v1/operations', '/v1/operations?limit=10', () => created.operation.id],
  ])("lists only the caller account's %s", async (_, bobsPath, alicesPath, createdId) => {
    const bobs = await call(bobToken, 'GET', bobsPath);
    const alices = await call(aliceToken, 'GET', alicesPath);

    expect((bobs.body as Page<unknown>).items).toEqual([]);
    expect((alices.body as Page<{ id: string }>).items.map((record) => record.id)).toEqual([
      createdId(),
    ]);
  });

  it('answers a new slice with its operation at once', async () => {
    expect(created.slice.status).toBe('building');
    expect(created.operation).toMatchObject({ type: 'slice.create', status: 'running' });
    const operation = await call(aliceToken, 'GET', `/v1/operations/${created.operation.id}`);
    expect(operation.status).toBe(200);
  });
});

describe('records API, bad input', () => {
  let token: string;
  const account = `acct-bad-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    token = await tokenFor(account);
  });

  /** A valid create-slice request body, as JSON, with `changes` made to it. */
  const createBodyWith = (changes: Record<string, unknown>) =>
    JSON.stringify({ name: 'a', region: 'fra1', diskGB: 1, ...changes });

  const badBodies: Array<[string, string, RegExp]> = [
    ['malformed JSON', '{"name": "x",', /not valid JSON/],
    ['a non-object body', '[1,2]', /(root)|body/],
    ['a wrong type', createBodyWith({ name: 5 }), /body.name/],
    ['an unknown field', createBodyWith({ color: 'red' }), /body.color/],
    ['an empty name', createBodyWith({ name: '' }), /body.name/],
    ['a blank name', createBodyWith({ name: '   ' }), /body.name/],
    ['a name of 256 characters', createBodyWith({ name: 'x'.repeat(256) }), /body.name/],
    ['a control character', createBodyWith({ name: 'a\u0007b' }), /body.name/],
    ['diskGB 0', createBodyWith({ diskGB: 0 }), /body.diskGB/],
    ['diskGB 1.5', createBodyWith({ diskGB: 1.5 }), /body.diskGB/],
    ['diskGB "1"', createBodyWith({ diskGB: '1' }), /body.diskGB/],
    ['diskGB 16385', createBodyWith({ diskGB: 16385 }), /body.diskGB/],
    ['an unknown region', createBodyWith({ region: 'mars1' }), /body.region/],
    [
      'a snapshot id of the wrong prefix',
      createBodyWith({ snapshotId: 'slc_01JD3QY8W7T2B6G0ZC4M9X5K1E' }),
      /body.snapshotId/,
    ],
  ];

  it.each(badBodies)(
    'refuses %s with a 400 that names it, creating nothing',
    async (_, rawBody, named) => {
      const response = await call(token, 'POST', '/v1/slices', { rawBody });

      expectProblemNaming(response, named);
      const listed = await call(token, 'GET', '/v1/slices');
      expect((listed.body as Page<unknown>).items).toEqual([]);
    },
  );

  it('names every bad field at once', async () => {
    const response = await call(token, 'POST', '/v1/slices', {
      body: { name: '', region: 'fra1', diskGB: 0, extra: true },
    });

    expect(response.status).toBe(400);
    expect((response.body as Problem).code).toBe('VALIDATION_FAILED');
    const paths = (response.body as Problem).errors?.map((error) => error.path).sort();
    expect(paths).toEqual(['body.diskGB', 'body.extra', 'body.name']);
  });

  it('refuses another content type with 415', async () => {
    const response = await call(token, 'POST', '/v1/slices', {
      rawBody: 'name=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(response.status).toBe(415);
    expect((response.body as Problem).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each([
    ['limit 0', '/v1/slices?limit=0', 'query.limit'],
    ['limit 101', '/v1/slices?limit=101', 'query.limit'],
    ['a forged cursor', '/v1/snapshots?cursor=eyJmb3JnZWQiOnRydWV9.AAAA', 'cursor'],
    ['a slice id of the wrong shape', '/v1/slices/slc_nope', 'path.id'],
    ['an id of the wrong prefix', '/v1/snapshots/op_01JD3QY8W7T2B6G0ZC4M9X5K1E', 'path.id'],
    ['an unknown region filter', '/v1/snapshots?region=mars1', 'query.region'],
  ])('refuses %s with a 400 that names it', async (_, path, named) => {
    const response = await call(token, 'GET', path);

    expectProblemNaming(response, named);
  });

  it('refuses an Idempotency-Key of 65 characters', async () => {
    const response = await call(token, 'POST', '/v1/slices', {
      body: { name: 'a', region: 'fra1', diskGB: 1 },
      headers: { 'idempotency-key': 'k'.repeat(65) },
    });

    expect(response.status).toBe(400);
    expect((response.body as Problem).detail).toContain('Idempotency-Key');
  });
});

describe('records API, idempotency', () => {
  it('replays the first answer for a retry and refuses the key with another body', async () => {
    const token = await tokenFor(`acct-idem-${randomUUID().slice(0, 8)}`);
    const key = randomUUID();
    const body = { name: 'api-1', region: 'fra1', diskGB: 1 };

    const first = await call(token, 'POST', '/v1/slices', {
      body,
      headers: { 'idempotency-key': key },
    });
    const retry = await call(token, 'POST', '/v1/slices', {
      body,
      headers: { 'idempotency-key': key },
    });
    const changed = await call(token, 'POST', '/v1/slices', {
      body: { ...body, name: 'api-2' },
      headers: { 'idempotency-key': key },
    });
    const listed = await call(token, 'GET', '/v1/slices');

    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect((retry.body as SliceBody).slice.id).toBe((first.body as SliceBody).slice.id);
    expect((retry.body as SliceBody).operation.id).toBe((first.body as SliceBody).operation.id);
    expect(changed.status).toBe(409);
    expect((changed.body as Problem).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((listed.body as Page<unknown>).items).toHaveLength(1);
  });
});

describe('records API, pagination and rename', () => {
  it('walks 120 snapshots newest first with no duplicate and no gap', async () => {
    const account = `acct-pages-${randomUUID().slice(0, 8)}`;
    const token = await tokenFor(account);
    const seeded = await seedSnapshots(account, 120);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await call(token, 'GET', `/v1/snapshots?limit=7${query}`);
      expect(page.status).toBe(200);
      const body = page.body as Page<{ id: string }>;
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
    } while (cursor);

    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen).toEqual([...seeded].reverse());
  });

  it("refuses another account's cursor", async () => {
    const owner = `acct-cursor-${randomUUID().slice(0, 8)}`;
    await seedSnapshots(owner, 3);
    const ownerPage = await call(await tokenFor(owner), 'GET', '/v1/snapshots?limit=1');
    const cursor = (ownerPage.body as Page<unknown>).nextCursor!;

    const stranger = await call(
      await tokenFor(`acct-stranger-${randomUUID().slice(0, 8)}`),
      'GET',
      `/v1/snapshots?limit=1&cursor=${encodeURIComponent(cursor)}`,
    );

    expect(stranger.status).toBe(400);
  });

  it('shows a rename in the list and the record', async () => {
    const account = `acct-rename-${randomUUID().slice(0, 8)}`;
    const token = await tokenFor(account);
    const snapshot = aSnapshot({ accountId: account, name: 'before' });
    await seeding.repository.create(snapshot);

    const renamed = await call(token, 'PATCH', `/v1/snapshots/${snapshot.id}`, {
      body: { name: '  after  ' },
    });
    const listed = await call(token, 'GET', '/v1/snapshots');

    expect(renamed.status).toBe(200);
    expect((renamed.body as { name: string }).name).toBe('after');
    expect((listed.body as Page<{ id: string; name: string }>).items).toEqual([
      expect.objectContaining({ id: snapshot.id, name: 'after' }),
    ]);
  });
});
