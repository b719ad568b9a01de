import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { OperationView } from '../../core/presentation/operation-view.ts';
import type { SliceView } from '../../core/presentation/slice-view.ts';
import type { SnapshotView } from '../../core/presentation/snapshot-view.ts';
import { call, local, run, tokenFor, until } from './e2e-client.ts';

/** A 202's body: the resource and the operation that carries it out. */
export interface Accepted<Resource> {
  readonly operation: OperationView;
  readonly slice: Resource;
  readonly snapshot: Resource;
}

/** An account name no other test uses: `acct-<name>-<random>`. */
function accountNamed(name: string): string {
  return `acct-${name}-${randomUUID().slice(0, 8)}`;
}

/**
 * A fresh account of the running local cloud (`npm start`), and the calls its tests make again
 * and again: waiting for an operation to end, an active slice, an available snapshot.
 */
export class E2eAccount {
  #token: string | undefined;
  #id: string | undefined;

  constructor(token?: string, id?: string) {
    this.#token = token;
    this.#id = id;
  }

  /** A new account, `acct-<name>-<random>`: no test sees another's records. */
  static async named(name: string): Promise<E2eAccount> {
    const id = accountNamed(name);
    return new E2eAccount(await tokenFor(id), id);
  }

  /**
   * A new account for the tests of the enclosing describe block, as `named` makes one; it signs
   * in in a `beforeAll`, so its calls can be made inside tests and later hooks only.
   */
  static perFile(name: string): E2eAccount {
    const account = new E2eAccount();
    beforeAll(async () => {
      account.#id = accountNamed(name);
      account.#token = await tokenFor(account.#id);
    });
    return account;
  }

  get token(): string {
    if (this.#token === undefined) throw new Error('the account has not signed in yet');
    return this.#token;
  }

  /** The account's id, as its records name it. */
  get id(): string {
    if (this.#id === undefined) throw new Error('the account was made from a token alone');
    return this.#id;
  }

  call(method: string, path: string, options: Parameters<typeof call>[3] = {}) {
    return call(this.token, method, path, options);
  }

  async get<T>(path: string): Promise<T> {
    return (await this.call('GET', path)).body as T;
  }

  /** The operation once it has ended, either way. */
  async operationDone(operationId: string): Promise<OperationView> {
    return until(
      () => this.get<OperationView>(`/v1/operations/${operationId}`),
      (operation) => operation.status !== 'running',
    );
  }

  /** A new slice (a 1 GiB disk in fra1 unless `body` says otherwise), once it is active. */
  async activeSlice(body: Record<string, unknown> = {}): Promise<SliceView> {
    const created = await this.call('POST', '/v1/slices', {
      body: { name: 'web', region: 'fra1', diskGB: 1, ...body },
    });
    const { slice, operation } = created.body as Accepted<SliceView>;
    expect(await this.operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    return this.get<SliceView>(`/v1/slices/${slice.id}`);
  }

  /** A snapshot of the slice, once it is available. */
  async snapshotOf(sliceId: string, body: Record<string, unknown> = {}): Promise<SnapshotView> {
    const taken = await this.call('POST', `/v1/slices/${sliceId}/snapshots`, { body });
    const { snapshot, operation } = taken.body as Accepted<SnapshotView>;
    expect(await this.operationDone(operation.id)).toMatchObject({ status: 'succeeded' });
    return this.get<SnapshotView>(`/v1/snapshots/${snapshot.id}`);
  }
}

/** The slices' disks on the local cloud's hosts, as a user's `dd`, `cp` and `cmp` see them. */
export class LocalDisks {
  readonly #kept: string;

  constructor() {
    this.#kept = mkdtempSync(join(tmpdir(), 'e2e-disks-'));
  }

  /** Disks for the tests of the enclosing describe block: the copies kept go in an `afterAll`. */
  static perFile(): LocalDisks {
    const disks = new LocalDisks();
    afterAll(() => disks.close());
    return disks;
  }

  /**
   * Writes random data into the slice's disk, as a guest would: `countMiB` MiB at `offsetMiB`
   * for each range, in order.
   */
  async writeRandom(
    sliceId: string,
    ...ranges: readonly (readonly [offsetMiB: number, countMiB: number])[]
  ): Promise<void> {
    const disk = await local('disk-path', sliceId);
    for (const [offsetMiB, countMiB] of ranges) {
      await run('dd', [
        'if=/dev/urandom',
        `of=${disk}`,
        'bs=1M',
        `seek=${offsetMiB}`,
        `count=${countMiB}`,
        'conv=notrunc',
        'status=none',
      ]);
    }
  }

  /** A copy of the slice's disk as it is now; answers its path. */
  async keep(sliceId: string): Promise<string> {
    const kept = join(this.#kept, `${sliceId}-${randomUUID().slice(0, 8)}.raw`);
    await run('cp', ['--sparse=always', await local('disk-path', sliceId), kept]);
    return kept;
  }

  /** Whether the slice's disk holds the same bytes as the file at `path` (`cmp` exits 0). */
  async same(path: string, sliceId: string): Promise<boolean> {
    return run('cmp', ['--silent', path, await local('disk-path', sliceId)]).then(
      () => true,
      () => false,
    );
  }

  close(): void {
    rmSync(this.#kept, { recursive: true, force: true });
  }
}
