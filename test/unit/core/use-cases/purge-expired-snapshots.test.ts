import { describe, expect, it } from 'vitest';
import type { WorkflowStarter } from '../../../../core/ports/workflow-starter.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import { completeRestore } from '../../../../core/use-cases/complete-restore.ts';
import {
  PURGE_LIMIT_PER_RUN,
  type PurgeReport,
  purgeExpiredSnapshots,
} from '../../../../core/use-cases/purge-expired-snapshots.ts';
import { recoverSnapshot } from '../../../../core/use-cases/recover-snapshot.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { updateAccountSettings } from '../../../../core/use-cases/update-account-settings.ts';
import { updateSnapshot } from '../../../../core/use-cases/update-snapshot.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import {
  anAvailableSnapshot,
  aRequestedRestore,
  aSnapshotToRecycle,
  PURGE_AT,
  RECYCLE_AT,
} from './support/use-case-steps.ts';

/** The report of a purge run that found nothing to do, with `changes` over it. */
function aReport(changes: Partial<PurgeReport> = {}): PurgeReport {
  return { expired: 0, purged: [], inUse: [], protectedIds: [], failed: [], ...changes };
}

describe('purgeExpiredSnapshots', () => {
  const given = givenPorts(aSnapshotToRecycle);

  const recycle = async (snapshotId = given.snapshot.id) =>
    (await requestSnapshotDeletion(given.ports, { accountId: ACCOUNT, snapshotId })).snapshot;
  const deletions = () =>
    given.ports.workflows.started.filter((each) => each.workflow === 'delete-snapshot');
  const statusOf = async (snapshotId = given.snapshot.id) =>
    (await given.ports.snapshots.get(ACCOUNT, snapshotId))?.status;

  it('leaves a snapshot whose time in the bin is not up', async () => {
    const { ports } = given;
    await recycle();
    ports.clock.set('2025-03-09T09:59:59.999Z');

    const report = await purgeExpiredSnapshots(ports);

    expect(report).toEqual(aReport());
    expect(await statusOf()).toBe('recycled');
  });

  it('deletes an expired snapshot for good through the delete-snapshot workflow', async () => {
    const { ports, snapshot } = given;
    await recycle();
    ports.clock.set(PURGE_AT);

    const report = await purgeExpiredSnapshots(ports);

    expect(report).toEqual(aReport({ expired: 1, purged: [snapshot.id] }));
    const deleting = await ports.snapshots.get(ACCOUNT, snapshot.id);
    expect(deleting).toMatchObject({ status: 'deleting', deletedAt: RECYCLE_AT, purgeAt: null });
    const operation = await ports.operations.get(ACCOUNT, deleting?.deletionOperationId ?? '');
    expect(operation).toMatchObject({ type: 'snapshot.delete', status: 'running' });
    expect(deletions()).toEqual([
      {
        workflow: 'delete-snapshot',
        input: { accountId: ACCOUNT, snapshotId: snapshot.id, operationId: operation?.id },
      },
    ]);
    expect(await ports.usage.forAccount(ACCOUNT, '2025-03')).toEqual([
      expect.objectContaining({ snapshotId: snapshot.id, to: RECYCLE_AT }),
    ]);
  });

  it('purges each expired snapshot once, whatever its account, and none twice', async () => {
    const { ports, slice, snapshot } = given;
    const second = await anAvailableSnapshot(ports, slice);
    await recycle();
    ports.clock.set('2025-03-03T10:00:00.000Z');
    await recycle(second.id);
    ports.clock.set('2025-03-20T00:00:00.000Z');

    const first = await purgeExpiredSnapshots(ports);
    const again = await purgeExpiredSnapshots(ports);

    expect(first.purged).toEqual([snapshot.id, second.id]);
    expect(again).toEqual(aReport());
    expect(deletions()).toHaveLength(2);
  });

  it('leaves a recovered snapshot alone', async () => {
    const { ports, snapshot } = given;
    await recycle();
    await recoverSnapshot(ports, { accountId: ACCOUNT, snapshotId: snapshot.id });
    ports.clock.set(PURGE_AT);

    const report = await purgeExpiredSnapshots(ports);

    expect(report.purged).toEqual([]);
    expect(await statusOf()).toBe('available');
  });

  it('waits while a reader holds the snapshot, and purges it on the run after the read ends', async () => {
    const { ports, slice, snapshot } = given;
    const restore = await aRequestedRestore(ports, snapshot);
    const recycled = await recycle();
    // A restore's lease lasts as long as its workflow may (8 hours), far less than a day in the
    // bin: the purge meets a live reader only when one reads the snapshot from the bin itself.
    // That reader's lease outlasts the purge time here.
    const [reader] = recycled.readers;
    if (!reader) throw new Error('the restore reads the snapshot');
    await ports.snapshots.update(recycled, {
      ...recycled,
      readers: [{ ...reader, until: '2025-03-09T18:00:00.000Z' }],
    });
    ports.clock.set(PURGE_AT);

    const refused = await purgeExpiredSnapshots(ports);
    const stillRefused = await purgeExpiredSnapshots(ports);
    await completeRestore(ports, { ...restore, usedBytes: slice.usedBytes });
    const next = await purgeExpiredSnapshots(ports);

    expect(refused).toEqual(aReport({ expired: 1, inUse: [snapshot.id] }));
    expect(stillRefused.inUse).toEqual([snapshot.id]);
    expect(next).toEqual(aReport({ expired: 1, purged: [snapshot.id] }));
    expect(await statusOf()).toBe('deleting');
    expect(deletions()).toHaveLength(1);
  });

  it("purges a snapshot whose reader's lease ran out: its workflow ended long ago", async () => {
    const { ports, snapshot } = given;
    await aRequestedRestore(ports, snapshot);
    await recycle();
    ports.clock.set(PURGE_AT);

    const report = await purgeExpiredSnapshots(ports);

    expect(report.purged).toEqual([snapshot.id]);
  });

  it('keeps a snapshot protected while in the bin, and purges it once the protection is lifted', async () => {
    const { ports, snapshot } = given;
    await recycle();
    const protect = (value: boolean) =>
      updateSnapshot(ports, { accountId: ACCOUNT, snapshotId: snapshot.id, protected: value });
    await protect(true);
    ports.clock.set(PURGE_AT);

    const kept = await purgeExpiredSnapshots(ports);
    await protect(false);
    const next = await purgeExpiredSnapshots(ports);

    expect(kept).toEqual(aReport({ expired: 1, protectedIds: [snapshot.id] }));
    expect(next.purged).toEqual([snapshot.id]);
    expect(deletions()).toHaveLength(1);
  });

  it('reports a snapshot it could not purge and carries on with the others', async () => {
    const { ports, slice, snapshot } = given;
    const second = await anAvailableSnapshot(ports, slice);
    await recycle();
    await recycle(second.id);
    ports.clock.set(PURGE_AT);
    const workflows: WorkflowStarter = {
      start: async (workflow, input) => {
        if (input.snapshotId === snapshot.id) throw new Error('Step Functions is down');
        return ports.workflows.start(workflow, input);
      },
      startPolicyRun: (input) => ports.workflows.startPolicyRun(input),
      startStorageMark: (input) => ports.workflows.startStorageMark(input),
      describe: (workflow, operationId) => ports.workflows.describe(workflow, operationId),
    };
    const failing = { ...ports, workflows };

    const report = await purgeExpiredSnapshots(failing);

    expect(report.purged).toEqual([second.id]);
    expect(report.failed).toEqual([
      { snapshotId: snapshot.id, error: 'Error: Step Functions is down' },
    ]);
  });

  // Five hundred snapshots go through the use cases one by one: a loaded machine needs longer than
  // the default five seconds.
  it(`looks at ${PURGE_LIMIT_PER_RUN} expired snapshots a run at most, page by page`, async () => {
    const { ports, slice } = given;
    await updateAccountSettings(ports, { accountId: ACCOUNT, changes: { recycleBinDays: 1 } });
    const recycled: Snapshot[] = [];
    for (let index = 0; index < PURGE_LIMIT_PER_RUN + 3; index += 1) {
      const each = await ports.snapshots.get(ACCOUNT, (await anAvailableSnapshot(ports, slice)).id);
      if (!each) throw new Error('no snapshot');
      recycled.push(await recycle(each.id));
    }
    ports.clock.set(PURGE_AT);

    const first = await purgeExpiredSnapshots(ports);
    const second = await purgeExpiredSnapshots(ports);

    expect(first.purged).toHaveLength(PURGE_LIMIT_PER_RUN);
    expect(second.purged).toHaveLength(3);
    expect(new Set([...first.purged, ...second.purged])).toEqual(
      new Set(recycled.map((each) => each.id)),
    );
  }, 60_000);
});
