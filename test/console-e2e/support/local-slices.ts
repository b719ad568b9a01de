import { call, local, run, until } from '../../support/e2e-client.ts';

interface SliceBody {
  readonly slice: { readonly id: string; readonly status: string };
}

/** A slice made through the API (not the subject of these tests), active, as `token`'s account. */
export async function activeSlice(token: string, name: string, diskGB = 1): Promise<string> {
  const created = await call(token, 'POST', '/v1/slices', {
    body: { name, region: 'fra1', diskGB },
  });
  if (created.status !== 202) throw new Error(`slice not created: ${JSON.stringify(created.body)}`);
  const { id } = (created.body as SliceBody).slice;
  await until(
    async () => (await call(token, 'GET', `/v1/slices/${id}`)).body as SliceBody['slice'],
    (slice) => slice.status === 'active',
  );
  return id;
}

/**
 * Random data written into the slice's disk file, from 1 MiB on, as its guest would write it: enough
 * for an upload to last a few seconds, so that its progress shows.
 */
export async function writeData(sliceId: string, mebibytes: number): Promise<void> {
  const diskPath = await local('disk-path', sliceId);
  await run('dd', [
    'if=/dev/urandom',
    `of=${diskPath}`,
    'bs=1M',
    'seek=1',
    `count=${mebibytes}`,
    'conv=notrunc',
    'status=none',
  ]);
}

interface SnapshotBody {
  readonly snapshot: { readonly id: string; readonly status: string };
}

/**
 * A snapshot of the slice taken through the API (not the subject of these tests), available, and
 * the slice idle again: the snapshot turns available a moment before its workflow lets go of the
 * slice, and the next snapshot would find it busy.
 */
export async function availableSnapshot(
  token: string,
  sliceId: string,
  name: string,
): Promise<string> {
  const taken = await call(token, 'POST', `/v1/slices/${sliceId}/snapshots`, { body: { name } });
  if (taken.status !== 202) throw new Error(`snapshot not taken: ${JSON.stringify(taken.body)}`);
  const { id } = (taken.body as SnapshotBody).snapshot;
  await until(
    async () => (await call(token, 'GET', `/v1/snapshots/${id}`)).body as SnapshotBody['snapshot'],
    (snapshot) => snapshot.status === 'available',
  );
  await until(
    async () => (await call(token, 'GET', `/v1/slices/${sliceId}`)).body as SliceBody['slice'],
    (slice) => slice.status === 'active',
  );
  return id;
}
