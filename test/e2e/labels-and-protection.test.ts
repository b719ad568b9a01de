import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { E2eAccount } from '../support/e2e-account.ts';
import { call, tokenFor, until } from '../support/e2e-client.ts';
import { localSnapshotRepository } from '../support/e2e-records.ts';
import { aSnapshot } from '../support/records.ts';

type Labels = Record<string, string>;
interface Slice {
  id: string;
  name: string;
  status: string;
  labels: Labels;
  deleteProtected: boolean;
}
interface Snapshot {
  id: string;
  name: string;
  status: string;
  labels: Labels;
  protected: boolean;
}
interface Operation {
  id: string;
  status: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

const seeding = localSnapshotRepository();
afterAll(() => seeding.close());

const account = (name: string) => `acct-${name}-${randomUUID().slice(0, 8)}`;

async function activeSlice(token: string, body: Record<string, unknown> = {}): Promise<Slice> {
  return (await new E2eAccount(token).activeSlice(body)) as unknown as Slice;
}

/** Every item of a list, following nextCursor; the page sizes too. */
async function walk<T extends { id: string }>(token: string, path: string) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path;
    const answer = await call(token, 'GET', url);
    expect(answer.status).toBe(200);
    const page = answer.body as Page<T>;
    ids.push(...page.items.map((item) => item.id));
    sizes.push(page.items.length);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { ids, sizes };
}

describe('labels through npm start', () => {
  const alice = E2eAccount.perFile('labels');

  it('sets labels at create and merges them on PATCH, for slices and snapshots', async () => {
    const slice = await activeSlice(alice.token, { labels: { env: 'prod', team: 'web' } });
    expect(slice.labels).toEqual({ env: 'prod', team: 'web' });
    expect(slice.deleteProtected).toBe(false);

    const patched = await alice.call('PATCH', `/v1/slices/${slice.id}`, {
      body: { labels: { team: null, tier: 'gold' }, name: 'web-renamed' },
    });

    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'web-renamed',
      labels: { env: 'prod', tier: 'gold' },
    });
    const taken = await alice.call('POST', `/v1/slices/${slice.id}/snapshots`, {
      body: { labels: { 'backup.example/kind': 'manual' } },
    });
    expect(taken.status).toBe(202);
    const { snapshot, operation } = taken.body as { snapshot: Snapshot; operation: Operation };
    expect(snapshot).toMatchObject({
      labels: { 'backup.example/kind': 'manual' },
      protected: false,
    });
    await until(
      async () => (await alice.call('GET', `/v1/operations/${operation.id}`)).body as Operation,
      (each) => each.status !== 'running',
    );
    const relabelled = await alice.call('PATCH', `/v1/snapshots/${snapshot.id}`, {
      body: { labels: { keep: 'yes' } },
    });
    expect(relabelled.body).toMatchObject({
      name: snapshot.name,
      labels: { 'backup.example/kind': 'manual', keep: 'yes' },
    });
  });

  it('lists with a selector in full pages across sparse matches, then a null cursor', async () => {
    const owner = account('pages');
    const ownerToken = await tokenFor(owner);
    // 40 snapshots, newest last; every seventh is a weekly backup.
    const seeded: string[] = [];
    for (let i = 0; i < 40; i++) {
      const labels: Labels = i % 7 === 2 ? { backup: 'weekly', env: 'prod' } : { backup: 'daily' };
      const record = aSnapshot({ accountId: owner, status: 'available', labels });
      await seeding.repository.create(record);
      seeded.push(record.id);
    }
    const weekly = seeded.filter((_, i) => i % 7 === 2).reverse();
    const selector = encodeURIComponent('backup==weekly,env in (prod,staging)');

    const pages = await walk<Snapshot>(
      ownerToken,
      `/v1/snapshots?limit=2&labelSelector=${selector}`,
    );
    const daily = await walk<Snapshot>(
      ownerToken,
      '/v1/snapshots?labelSelector=backup%21%3Dweekly',
    );
    const others = await walk<Snapshot>(alice.token, `/v1/snapshots?labelSelector=${selector}`);

    expect(pages.ids).toEqual(weekly);
    expect(pages.sizes).toEqual([2, 2, 2]);
    expect(daily.ids).toHaveLength(34);
    expect(others.ids).toEqual([]);
  });

  it('selects slices by label', async () => {
    const owner = await tokenFor(account('slices'));
    const db = await call(owner, 'POST', '/v1/slices', {
      body: { name: 'db', region: 'fra1', diskGB: 1, labels: { role: 'db' } },
    });
    await call(owner, 'POST', '/v1/slices', {
      body: { name: 'web', region: 'fra1', diskGB: 1, labels: { role: 'web' } },
    });

    const selected = await walk<Slice>(owner, '/v1/slices?labelSelector=role+notin+(web)');

    expect(selected.ids).toEqual([(db.body as { slice: Slice }).slice.id]);
  });

  it.each([
    ['/v1/snapshots?labelSelector=env%3D%3Dprod%2Ctier+in+gold', 19, '"("'],
    ['/v1/slices?labelSelector=Env', 1, 'expected a label key'],
    ['/v1/slices?labelSelector=env%2C', 5, 'expected a label key'],
  ])(
    'refuses a selector it cannot read with a 400 naming the position (%s)',
    async (path, position, said) => {
      const answer = await alice.call('GET', path);

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      const problem = answer.body as Problem;
      expect(problem.code).toBe('INVALID_LABEL_SELECTOR');
      expect(problem.errors).toEqual([
        { path: 'query.labelSelector', message: expect.stringContaining(`position ${position}`) },
      ]);
      expect(problem.errors?.[0]?.message).toContain(said);
    },
  );

  it.each([
    [{ labels: { Env: 'prod' } }, 'body.labels.Env'],
    [{ labels: { env: 'has space' } }, 'body.labels.env'],
    [{ labels: { env: null, ['x'.repeat(64)]: 'v' } }, `body.labels.${'x'.repeat(64)}`],
    [{ deleteProtected: 1 }, 'body.deleteProtected'],
  ])('refuses an invalid PATCH %j with a 400 naming the field', async (body, path) => {
    const slice = await alice.call('POST', '/v1/slices', {
      body: { name: 'bad', region: 'fra1', diskGB: 1 },
    });
    const { id } = (slice.body as { slice: Slice }).slice;

    const answer = await alice.call('PATCH', `/v1/slices/${id}`, { body });

    expect(answer.status).toBe(400);
    expect((answer.body as Problem).errors?.map((error) => error.path)).toEqual([path]);
  });

  it('refuses labels at create that break the rules, creating nothing', async () => {
    const owner = await tokenFor(account('create'));
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));

    const answer = await call(owner, 'POST', '/v1/slices', {
      body: { name: 'x', region: 'fra1', diskGB: 1, labels: many },
    });

    expect(answer.status).toBe(400);
    expect((answer.body as Problem).errors).toEqual([
      { path: 'body.labels', message: 'must hold at most 64 labels' },
    ]);
    expect(((await call(owner, 'GET', '/v1/slices')).body as Page<Slice>).items).toEqual([]);
  });
});

describe('protection through npm start', () => {
  const alice = E2eAccount.perFile('protect');

  /**
   * Turns `guard` on for the record at `path` and checks that a deletion is then refused with
   * `refusal`, the record left in `status` and guarded; then turns `guard` off and checks that the
   * deletion is accepted.
   */
  async function expectDeletionRefusedWhileGuarded(
    path: string,
    guard: 'protected' | 'deleteProtected',
    status: string,
    refusal: { code: string; detail: string },
  ) {
    const guarded = await alice.call('PATCH', path, { body: { [guard]: true } });
    const refused = await alice.call('DELETE', path);
    const still = await alice.call('GET', path);
    await alice.call('PATCH', path, { body: { [guard]: false } });
    const accepted = await alice.call('DELETE', path);

    expect(guarded.body).toMatchObject({ [guard]: true });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body).toMatchObject({
      code: refusal.code,
      detail: expect.stringContaining(refusal.detail),
    });
    expect(still.body).toMatchObject({ status, [guard]: true });
    expect(accepted.status).toBe(202);
  }

  it('refuses to delete a protected snapshot with 409 until protection is off', async () => {
    const record = aSnapshot({
      accountId: alice.id,
      status: 'available',
      completedAt: new Date().toISOString(),
    });
    await seeding.repository.create(record);

    await expectDeletionRefusedWhileGuarded(
      `/v1/snapshots/${record.id}`,
      'protected',
      'available',
      {
        code: 'SNAPSHOT_PROTECTED',
        detail: 'is protected',
      },
    );
  });

  it('refuses to delete a slice with delete protection with 409 until it is off', async () => {
    const slice = await activeSlice(alice.token, { name: 'keep-me' });

    await expectDeletionRefusedWhileGuarded(`/v1/slices/${slice.id}`, 'deleteProtected', 'active', {
      code: 'SLICE_DELETE_PROTECTED',
      detail: 'protected from deletion',
    });
  });

  it('answers 404 to another account on every new or changed route, changing nothing', async () => {
    const bob = await tokenFor(account('bob'));
    const slice = await activeSlice(alice.token, { name: 'alices', labels: { env: 'prod' } });
    await alice.call('PATCH', `/v1/slices/${slice.id}`, { body: { deleteProtected: true } });
    const record = aSnapshot({ accountId: alice.id, status: 'available', labels: { env: 'prod' } });
    await seeding.repository.create(record);
    await alice.call('PATCH', `/v1/snapshots/${record.id}`, { body: { protected: true } });

    const answers = await Promise.all([
      call(bob, 'PATCH', `/v1/slices/${slice.id}`, { body: { labels: { env: 'dev' } } }),
      call(bob, 'PATCH', `/v1/slices/${slice.id}`, { body: { deleteProtected: false } }),
      call(bob, 'PATCH', `/v1/snapshots/${record.id}`, { body: { labels: { env: null } } }),
      call(bob, 'PATCH', `/v1/snapshots/${record.id}`, { body: { protected: false } }),
      // Protected or not, another account's resource is missing, never a 409.
      call(bob, 'DELETE', `/v1/slices/${slice.id}`),
      call(bob, 'DELETE', `/v1/snapshots/${record.id}`),
      call(bob, 'POST', `/v1/slices/${slice.id}/snapshots`, { body: { labels: { a: 'b' } } }),
    ]);
    const bobsLists = await Promise.all([
      call(bob, 'GET', '/v1/slices?labelSelector=env'),
      call(bob, 'GET', '/v1/snapshots?labelSelector=env%3D%3Dprod'),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect(answers.map((answer) => (answer.body as Problem).code)).toEqual([
      'SLICE_NOT_FOUND',
      'SLICE_NOT_FOUND',
      'SNAPSHOT_NOT_FOUND',
      'SNAPSHOT_NOT_FOUND',
      'SLICE_NOT_FOUND',
      'SNAPSHOT_NOT_FOUND',
      'SLICE_NOT_FOUND',
    ]);
    expect(bobsLists.map((answer) => (answer.body as Page<unknown>).items)).toEqual([[], []]);
    expect((await alice.call('GET', `/v1/slices/${slice.id}`)).body).toMatchObject({
      labels: { env: 'prod' },
      deleteProtected: true,
    });
    expect((await alice.call('GET', `/v1/snapshots/${record.id}`)).body).toMatchObject({
      labels: { env: 'prod' },
      protected: true,
    });
  });
});
