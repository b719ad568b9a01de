import { describe, expect, it } from 'vitest';
import type { PurgeReport } from '../../core/use-cases/purge-expired-snapshots.ts';
import { FUNCTIONS, SCHEDULES } from '../../infra/catalog.ts';
import { createLocalLambdas } from '../../local/lambdas.ts';
import { catalogSchedules, startScheduler } from '../../local/scheduler/index.ts';
import { expectRefusedFor } from './support/slice-checks.ts';
import {
  type OperationView,
  SnapshotBed,
  type SnapshotView,
  sameBytes,
} from './support/snapshot-bed.ts';

interface RecycledView extends SnapshotView {
  purgeAt: string | null;
}
interface Deletion {
  snapshot: RecycledView;
  operation: OperationView;
}
interface ChargesView {
  lines: { snapshotId: string; from: string; to: string; amount: string }[];
}

const DAY_MS = 86_400_000;

/** The whole second an ISO time falls in, as billing counts it. */
function secondOf(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();
}

/** The events of a snapshot taken and then put in the recycle bin, in order. */
const TAKEN_AND_RECYCLED = [
  'Snapshot Requested',
  'Snapshot Captured',
  'Snapshot Available',
  'Snapshot Recycled',
];

describe('the recycle bin, through the real agent', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  const recycle = (token: string, snapshotId: string) =>
    bed.api<Deletion>(token, 'DELETE', `/v1/snapshots/${snapshotId}`);
  const purge = (token: string, snapshotId: string) => bed.purge<Deletion>(token, snapshotId);
  const recover = (token: string, snapshotId: string) =>
    bed.api<RecycledView>(token, 'POST', `/v1/snapshots/${snapshotId}/recover`);
  const getSnapshot = (token: string, snapshotId: string) =>
    bed.snapshot<RecycledView>(token, snapshotId);
  const listed = async (token: string, query = '') =>
    (
      await bed.api<{ items: SnapshotView[] }>(token, 'GET', `/v1/snapshots${query}`)
    ).body.items.map((each) => each.id);
  // These restores keep nothing of the disk they replace: the bin's own contents are under test.
  const restoreFrom = (token: string, snapshotId: string) =>
    bed.restore(token, snapshotId, { confirm: true, keepCurrent: false });
  const setRecycleBinDays = (token: string, recycleBinDays: number) =>
    bed.api<{ recycleBinDays: number }>(token, 'PATCH', '/v1/settings', {
      body: { recycleBinDays },
    });

  it('recycles, recovers, and the snapshot restores byte for byte; billing has a gap exactly over the bin', async () => {
    const { accountId, token } = await bed.account();
    const { slice, snapshot, image } = await bed.sliceWithSnapshot(token);
    const chunksBefore = await bed.chunkKeys(accountId);
    // A minute of the cloud's time, billed; then one in the bin, not billed; then one billed again.
    bed.clock.advance(60_000);

    const recycled = await recycle(token, snapshot.id);
    const inBin = await bed.eventDetail(snapshot.id, 'Snapshot Recycled');
    const deletedAt = String(inBin.deletedAt);
    bed.clock.advance(60_000);
    const restoreWhileRecycled = await restoreFrom(token, snapshot.id);
    const chunksInBin = await bed.chunkKeys(accountId);
    const binList = await listed(token, '?status=recycled');
    const normalList = await listed(token);
    const recovered = await recover(token, snapshot.id);
    const out = await bed.eventDetail(snapshot.id, 'Snapshot Recovered');
    const recoveredAt = String(out.recoveredAt);
    bed.clock.advance(60_000);
    bed.overwrite(slice);
    const restore = await restoreFrom(token, snapshot.id);
    const restored = await bed.finished('restore-slice', restore.body.operation.id);
    const charges = await bed.api<ChargesView>(
      token,
      'GET',
      `/v1/billing/charges?month=${deletedAt.slice(0, 7)}`,
    );

    expect(recycled.status).toBe(202);
    expect(recycled.body.snapshot).toMatchObject({
      id: snapshot.id,
      status: 'recycled',
      purgeAt: new Date(Date.parse(deletedAt) + 7 * DAY_MS).toISOString(),
      monthlyCost: { amount: '0.00' },
    });
    expect(recycled.body.operation).toMatchObject({ type: 'snapshot.delete', status: 'succeeded' });
    expect(inBin).toMatchObject({
      accountId,
      snapshotId: snapshot.id,
      operationId: recycled.body.operation.id,
      purgeAt: recycled.body.snapshot.purgeAt,
    });
    expect(restoreWhileRecycled).toMatchObject({
      status: 409,
      body: { code: 'SNAPSHOT_NOT_AVAILABLE' },
    });
    expect(chunksInBin).toEqual(chunksBefore);
    expect(await bed.manifests(accountId)).toEqual([snapshot.id]);
    expect(binList).toEqual([snapshot.id]);
    expect(normalList).toEqual([]);
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({ status: 'available', purgeAt: null });
    expect(restored.status).toBe('SUCCEEDED');
    expect(sameBytes(bed.diskPath(slice.id), image)).toBe(true);
    const lines = charges.body.lines.filter((line) => line.snapshotId === snapshot.id);
    expect(lines.map((line) => [line.from, line.to])).toEqual([
      [secondOf(snapshot.completedAt ?? ''), secondOf(deletedAt)],
      [secondOf(recoveredAt), expect.any(String)],
    ]);
    // The bin's minute is the gap between the two lines; the second runs on to the cloud's now.
    expect(Date.parse(deletedAt) - Date.parse(snapshot.completedAt ?? '')).toBeGreaterThan(60_000);
    expect(Date.parse(recoveredAt) - Date.parse(deletedAt)).toBeGreaterThan(60_000);
    expect(Date.parse(lines[1]?.to ?? '')).toBeGreaterThan(Date.parse(recoveredAt) + 59_000);
    const snapshotEvents = (await bed.eventsOf(snapshot.id, 7)).filter((type) =>
      type.startsWith('Snapshot '),
    );
    expect(snapshotEvents).toEqual([...TAKEN_AND_RECYCLED, 'Snapshot Recovered']);
  });

  it('purges a snapshot once its time in the bin is up, through the deletion workflow', async () => {
    const { accountId, token } = await bed.account();
    expect((await setRecycleBinDays(token, 1)).body).toEqual({ recycleBinDays: 1 });
    const { snapshot } = await bed.sliceWithSnapshot(token);
    const recycled = await recycle(token, snapshot.id);
    const purgeAt = recycled.body.snapshot.purgeAt ?? '';
    const { deletedAt } = await bed.eventDetail(snapshot.id, 'Snapshot Recycled');
    // The catalog's purge schedule, run by the local scheduler on the cloud's clock, invoking the
    // purge function as EventBridge Scheduler does.
    const lambdas = createLocalLambdas(FUNCTIONS);
    const runs: Promise<PurgeReport>[] = [];
    const scheduler = startScheduler({
      schedules: catalogSchedules(
        SCHEDULES.filter((schedule) => schedule.name === 'purge-expired-snapshots'),
        {
          invokeFunction: (name, input) => {
            const run = lambdas.invoke(name, input) as Promise<PurgeReport>;
            runs.push(run);
            return run;
          },
          startWorkflow: async (workflow) => {
            throw new Error(`the purge schedule starts no workflow (${workflow})`);
          },
        },
      ),
      now: () => bed.clock.now(),
      timers: bed.clock,
    });
    let early: PurgeReport[];
    let due: PurgeReport[];
    let stillRecycled: RecycledView;
    try {
      // A day in the bin passes at once. The schedule runs a minute before the purge time, then after.
      bed.clock.advanceTo(new Date(Date.parse(purgeAt) - 60_000));
      early = await Promise.all(runs.splice(0));
      stillRecycled = await getSnapshot(token, snapshot.id);
      bed.clock.advanceTo(new Date(Date.parse(purgeAt) + 15 * 60_000));
      due = await Promise.all(runs.splice(0));
    } finally {
      scheduler.close();
    }
    const purgedThen = await getSnapshot(token, snapshot.id);
    const { operationId } = await bed.eventDetail(snapshot.id, 'Snapshot Deleted');
    const execution = await bed.finished('delete-snapshot', String(operationId));

    expect(purgeAt).toBe(new Date(Date.parse(String(deletedAt)) + DAY_MS).toISOString());
    expect(early.length).toBeGreaterThan(0);
    expect(early.flatMap((report) => report.purged)).not.toContain(snapshot.id);
    expect(stillRecycled.status).toBe('recycled');
    expect(due.flatMap((report) => report.purged)).toContain(snapshot.id);
    expect(purgedThen.status).toMatch(/^(deleting|deleted)$/);
    expect(execution.status).toBe('SUCCEEDED');
    expect((await getSnapshot(token, snapshot.id)).status).toBe('deleted');
    // The manifest is gone; its three chunks stay until the chunk collection reclaims them.
    expect(await bed.manifests(accountId)).toEqual([]);
    expect(await bed.chunkKeys(accountId)).toHaveLength(3);
    expect(await listed(token, '?status=recycled')).toEqual([]);
    expect(await bed.eventsOf(snapshot.id, 5)).toEqual([...TAKEN_AND_RECYCLED, 'Snapshot Deleted']);
  });

  it('refuses to purge a snapshot while a restore reads it, and purges it once the read ends', async () => {
    const { accountId, token } = await bed.account();
    const { slice, snapshot, image } = await bed.sliceWithSnapshot(token);
    bed.overwrite(slice);
    const writeImage = bed.front.delayNext('write-image');
    const restore = await restoreFrom(token, snapshot.id);
    const held = await writeImage;

    // Into the bin while the restore reads it: the image stays, so the restore goes on.
    const recycled = await recycle(token, snapshot.id);
    const refused = await purge(token, snapshot.id);
    const stillThere = await getSnapshot(token, snapshot.id);
    await held.release();
    const restored = await bed.finished('restore-slice', restore.body.operation.id);
    const purged = await purge(token, snapshot.id);
    const deleted = await bed.finished('delete-snapshot', purged.body.operation.id);

    expect(recycled.body.snapshot.status).toBe('recycled');
    expect(restore.body.operation.type).toBe('slice.restore');
    expectRefusedFor(refused, 'SNAPSHOT_IN_USE', restore.body.operation);
    expect(stillThere.status).toBe('recycled');
    expect(restored.status).toBe('SUCCEEDED');
    expect(sameBytes(bed.diskPath(slice.id), image)).toBe(true);
    expect(purged.status).toBe(202);
    expect(purged.body.snapshot).toMatchObject({ status: 'deleting', purgeAt: null });
    expect(deleted.status).toBe('SUCCEEDED');
    // The manifest is gone; its three chunks stay until the chunk collection reclaims them.
    expect(await bed.manifests(accountId)).toEqual([]);
    expect(await bed.chunkKeys(accountId)).toHaveLength(3);
  });

  it('deletes at once, as before the bin, when the account sets recycleBinDays to 0', async () => {
    const { accountId, token } = await bed.account();
    expect((await setRecycleBinDays(token, 0)).body).toEqual({ recycleBinDays: 0 });
    const { snapshot } = await bed.sliceWithSnapshot(token);

    const deletion = await recycle(token, snapshot.id);
    const execution = await bed.finished('delete-snapshot', deletion.body.operation.id);

    expect(deletion.status).toBe(202);
    expect(deletion.body.snapshot).toMatchObject({ status: 'deleting', purgeAt: null });
    expect(deletion.body.operation).toMatchObject({ type: 'snapshot.delete', status: 'running' });
    expect(execution.status).toBe('SUCCEEDED');
    expect((await getSnapshot(token, snapshot.id)).status).toBe('deleted');
    // The manifest is gone; its three chunks stay until the chunk collection reclaims them.
    expect(await bed.manifests(accountId)).toEqual([]);
    expect(await bed.chunkKeys(accountId)).toHaveLength(3);
    expect(await bed.eventsOf(snapshot.id, 4)).toEqual([
      'Snapshot Requested',
      'Snapshot Captured',
      'Snapshot Available',
      'Snapshot Deleted',
    ]);
  });

  it("answers 404 for another account's snapshot on recover and purge, and shows it in no other bin", async () => {
    const alice = await bed.account();
    const bob = await bed.account();
    const { snapshot } = await bed.sliceWithSnapshot(alice.token);
    await recycle(alice.token, snapshot.id);

    const recovered = await recover(bob.token, snapshot.id);
    const purged = await purge(bob.token, snapshot.id);
    const recycledAgain = await recycle(bob.token, snapshot.id);

    expect([recovered.status, purged.status, recycledAgain.status]).toEqual([404, 404, 404]);
    expect(await listed(bob.token, '?status=recycled')).toEqual([]);
    expect(await listed(alice.token, '?status=recycled')).toEqual([snapshot.id]);
    expect((await getSnapshot(alice.token, snapshot.id)).status).toBe('recycled');
  });
});
