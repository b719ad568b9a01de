import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { DEFAULT_REGIONS } from '../../../blueprint/facts.ts';
import { type FaultCloud, type OperationView, type SnapshotView, until } from './fault-cloud.ts';

/** How long an operation may take to end after `npm start` is typed again. */
export const RECONCILE_WITHIN_MS = 45_000;

/** Waits for the operation to end, never `running` past the bound; records the seconds it took. */
export async function operationEnds(
  cloud: FaultCloud,
  operationId: string,
  label: string,
  since = performance.now(),
): Promise<OperationView> {
  const ended = await until(
    `operation ${operationId} to end`,
    () => cloud.operation(operationId),
    (operation) => operation.status !== 'running',
    RECONCILE_WITHIN_MS,
  );
  cloud.figures[label] = Number(((performance.now() - since) / 1000).toFixed(1));
  expect(['succeeded', 'failed']).toContain(ended.status);
  return ended;
}

/**
 * `npm start` again after a kill, then waits for the operation to end as `operationEnds` does; the
 * seconds are counted from the moment the restart began.
 */
export async function restartAndEnd(
  cloud: FaultCloud,
  operationId: string,
  label: string,
): Promise<OperationView> {
  const since = performance.now();
  await cloud.restart();
  return operationEnds(cloud, operationId, label, since);
}

/** The slice is free again (not `busy`) and in the expected power state. */
export async function sliceSettled(
  cloud: FaultCloud,
  sliceId: string,
  power: 'on' | 'off',
): Promise<void> {
  const slice = await cloud.slice(sliceId);
  expect(slice.status).not.toBe('busy');
  expect(slice.power).toBe(power);
}

/** `cmp` of two files: byte for byte the same. */
export function sameDisk(actual: string, expected: string): void {
  expect(existsSync(actual), `${actual} exists`).toBe(true);
  const cmp = spawnSync('cmp', [actual, expected], { encoding: 'utf8' });
  expect(cmp.stdout + cmp.stderr, `cmp ${actual} ${expected}`).toBe('');
  expect(cmp.status).toBe(0);
}

/** The slice is free in its power state, and its disk is byte for byte `disk`. */
export async function sliceIntact(
  cloud: FaultCloud,
  sliceId: string,
  power: 'on' | 'off',
  disk: string,
): Promise<void> {
  await sliceSettled(cloud, sliceId, power);
  sameDisk(cloud.diskPath(sliceId), disk);
}

/** The account's images are consistent, and billing names the snapshots it should. */
export async function imagesAndBillingAgree(
  cloud: FaultCloud,
  alsoBilled: string[] = [],
): Promise<void> {
  await imagesConsistent(cloud);
  await billingAgrees(cloud, alsoBilled);
}

/**
 * The account's images are consistent in every region's store: every chunk a manifest names is
 * stored beside it, and every manifest is a live snapshot's of that region (a failed or deleted
 * snapshot's is gone). Chunks no manifest names may be left: the chunk collection reclaims them
 * after its grace period, never at once.
 */
export async function imagesConsistent(cloud: FaultCloud): Promise<void> {
  for (const { id: region } of DEFAULT_REGIONS) {
    const { stored, named, manifests } = await cloud.storedChunks(region);
    const storedKeys = new Set(stored);
    expect([...named].filter((key) => !storedKeys.has(key))).toEqual([]);
    for (const key of manifests) {
      const snapshotId = key.split('/').at(-2) ?? key;
      const snapshot = await cloud.ok<SnapshotView>('GET', `/v1/snapshots/${snapshotId}`);
      expect(['available', 'recycled'], `the snapshot of ${key}`).toContain(snapshot.status);
      expect(snapshot.region, `the region of ${key}`).toBe(region);
    }
  }
}

/**
 * This month's charges name exactly the snapshots that are available, plus those deleted after
 * being available (`alsoBilled`): a failed snapshot, or one that never completed, is never billed.
 * A line shows once a whole second of the snapshot has passed: a fresh one gets that second.
 */
export async function billingAgrees(cloud: FaultCloud, alsoBilled: string[] = []): Promise<void> {
  const read = async () => {
    const [{ items }, charges] = await Promise.all([
      cloud.ok<{ items: SnapshotView[] }>('GET', '/v1/snapshots?limit=100'),
      cloud.ok<{ lines: Array<{ snapshotId: string }> }>('GET', '/v1/billing/charges'),
    ]);
    const available = items.filter((s) => s.status === 'available').map((s) => s.id);
    return {
      billed: [...new Set(charges.lines.map((line) => line.snapshotId))].sort(),
      expected: [...available, ...alsoBilled].sort(),
    };
  };
  const { billed, expected } = await until(
    'billing to name the available snapshots',
    read,
    (v) => JSON.stringify(v.billed) === JSON.stringify(v.expected),
    3_000,
  ).catch(read);
  expect(billed).toEqual(expected);
}
