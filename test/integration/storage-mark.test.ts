import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../agent/protocol/manifest.ts';
import { manifestKeyOf } from '../../blueprint/facts.ts';
import { eventually, MIB, SnapshotBed, type SnapshotView } from './support/snapshot-bed.ts';

interface StorageView {
  logicalBytes: number;
  storedBytes: number;
  dedupRatio: number;
  monthlyCost: { amount: string; currency: string };
  asOf: string | null;
  bySlice: { sliceId: string; snapshots: number; logicalBytes: number; exclusiveBytes: number }[];
}

type CountedSnapshot = SnapshotView & {
  storedBytes: number | null;
  exclusiveBytes: number | null;
  costToDate: { amount: string; currency: string };
};

describe('the storage count', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  const storageOf = async (token: string) =>
    (await bed.api<StorageView>(token, 'GET', '/v1/storage')).body;

  /** The account's figures once a pass has counted `snapshots` live snapshots of the slice. */
  const counted = (token: string, snapshots: number) =>
    eventually(
      async () => {
        const storage = await storageOf(token);
        return storage.bySlice[0]?.snapshots === snapshots ? storage : undefined;
      },
      `a storage count of ${snapshots} snapshots`,
      60_000,
    );

  /** What a snapshot's manifest says each chunk it names takes in the store, by hash. */
  async function storedSizes(accountId: string, snapshotId: string): Promise<Map<string, number>> {
    const object = await bed.s3.send(
      new GetObjectCommand({ Bucket: bed.bucket, Key: manifestKeyOf(accountId, snapshotId) }),
    );
    const manifest = parseManifest((await object.Body?.transformToString('utf8')) ?? '');
    return new Map(manifest.chunks.map(([, hash, stored]) => [hash, stored]));
  }

  const total = (sizes: Iterable<number>) => [...sizes].reduce((sum, size) => sum + size, 0);

  it("counts each snapshot's stored and exclusive bytes after it is taken and after a purge", async () => {
    const { accountId, token } = await bed.account();
    const other = await bed.account();
    const slice = await bed.activeSlice(token);
    bed.writeData(slice.id, [{ offset: 0, bytes: 12 * MIB }], slice.diskBytes);
    const first = await bed.snapshotOf(token, slice.id, { name: 'first' });
    bed.writeData(slice.id, [{ offset: 4 * MIB + 10, bytes: 100 }], slice.diskBytes);
    const second = await bed.snapshotOf(token, slice.id, { name: 'second' });
    const firstSizes = await storedSizes(accountId, first.id);
    const secondSizes = await storedSizes(accountId, second.id);
    const onlyIn = (mine: Map<string, number>, theirs: Map<string, number>) =>
      total([...mine].filter(([hash]) => !theirs.has(hash)).map(([, size]) => size));

    const both = await counted(token, 2);
    const firstCounted = (await bed.api<CountedSnapshot>(token, 'GET', `/v1/snapshots/${first.id}`))
      .body;
    const listed = (await bed.api<{ items: CountedSnapshot[] }>(token, 'GET', '/v1/snapshots')).body
      .items;
    const purge = await bed.api<{ operation: { id: string } }>(
      token,
      'DELETE',
      `/v1/snapshots/${first.id}?purge=true`,
    );
    await bed.finished('delete-snapshot', purge.body.operation.id);
    const afterPurge = await counted(token, 1);
    const secondAfterPurge = (
      await bed.api<CountedSnapshot>(token, 'GET', `/v1/snapshots/${second.id}`)
    ).body;
    const othersStorage = await storageOf(other.token);

    const union = new Map([...firstSizes, ...secondSizes]);
    expect(firstSizes.size).toBe(3);
    expect(onlyIn(secondSizes, firstSizes)).toBeGreaterThan(0);
    expect(both).toMatchObject({
      logicalBytes: first.sizeBytes + second.sizeBytes,
      storedBytes: total(union.values()),
      bySlice: [
        {
          sliceId: slice.id,
          snapshots: 2,
          logicalBytes: first.sizeBytes + second.sizeBytes,
          exclusiveBytes: total(union.values()),
        },
      ],
    });
    expect(both.dedupRatio).toBeGreaterThan(1);
    expect(firstCounted).toMatchObject({
      storedBytes: total(firstSizes.values()),
      exclusiveBytes: onlyIn(firstSizes, secondSizes),
      costToDate: { amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: 'USD' },
    });
    expect(listed.find((each) => each.id === second.id)).toMatchObject({
      storedBytes: total(secondSizes.values()),
      exclusiveBytes: onlyIn(secondSizes, firstSizes),
    });
    expect(afterPurge).toMatchObject({
      logicalBytes: second.sizeBytes,
      storedBytes: total(secondSizes.values()),
    });
    expect(secondAfterPurge.exclusiveBytes).toBe(total(secondSizes.values()));
    expect(othersStorage).toEqual({
      logicalBytes: 0,
      storedBytes: 0,
      dedupRatio: 1,
      monthlyCost: { amount: '0.00', currency: 'USD' },
      asOf: null,
      bySlice: [],
    });
  });
});
