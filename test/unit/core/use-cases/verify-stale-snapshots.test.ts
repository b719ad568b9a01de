import { describe, expect, it } from 'vitest';
import { recordVerification } from '../../../../core/snapshots/snapshot.ts';
import { requestSnapshotDeletion } from '../../../../core/use-cases/request-snapshot-deletion.ts';
import { verifyStaleSnapshots } from '../../../../core/use-cases/verify-stale-snapshots.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { withARunningSlice } from './support/set-ups.ts';
import { anAvailableSnapshot } from './support/use-case-steps.ts';

const DAY_S = 86_400;

describe('verifyStaleSnapshots', () => {
  const given = givenPorts(withARunningSlice, { now: '2026-01-01T00:00:00.000Z' });

  /** The verify-snapshot workflows started, by snapshot. */
  const verifying = () =>
    given.ports.workflows.started
      .filter((each) => each.workflow === 'verify-snapshot')
      .map((each) => each.input.snapshotId);

  it('reads back what went 30 days unchecked, the longest first, at most the limit a run', async () => {
    const { ports, slice } = given;
    const oldest = await anAvailableSnapshot(ports, slice, ['a']);
    ports.clock.advanceSeconds(DAY_S);
    const older = await anAvailableSnapshot(ports, slice, ['b']);
    ports.clock.advanceSeconds(DAY_S);
    const checked = await anAvailableSnapshot(ports, slice, ['c']);
    ports.clock.advanceSeconds(DAY_S);
    const recycled = await anAvailableSnapshot(ports, slice, ['d']);
    await requestSnapshotDeletion(ports, { accountId: ACCOUNT, snapshotId: recycled.id });
    ports.clock.advanceSeconds(10 * DAY_S);
    await ports.snapshots.update(
      checked,
      recordVerification(checked, { corrupt: false }, ports.clock.now().toISOString()),
    );
    ports.clock.advanceSeconds(20 * DAY_S);
    const young = await anAvailableSnapshot(ports, slice, ['e']);

    const first = await verifyStaleSnapshots(ports, 1);
    const second = await verifyStaleSnapshots(ports, 10);

    expect(first.started.map((each) => each.snapshotId)).toEqual([oldest.id]);
    // The verification the first run started is still running: it is not started twice.
    expect(second.started.map((each) => each.snapshotId)).toEqual([older.id]);
    expect(verifying()).toEqual([oldest.id, older.id]);
    expect(verifying()).not.toContain(checked.id);
    expect(verifying()).not.toContain(recycled.id);
    expect(verifying()).not.toContain(young.id);
    const operation = await ports.operations.get(ACCOUNT, first.started[0]?.operationId ?? '');
    expect(operation).toMatchObject({ type: 'snapshot.verify', resourceId: oldest.id });
  });

  it('reports a verification that could not start, and goes on with the others', async () => {
    const { ports, slice } = given;
    const first = await anAvailableSnapshot(ports, slice, ['a']);
    const second = await anAvailableSnapshot(ports, slice, ['b']);
    ports.clock.advanceSeconds(31 * DAY_S);
    const start = ports.workflows.start.bind(ports.workflows);
    ports.workflows.start = async (workflow, input) => {
      if (input.snapshotId === first.id) throw new Error('Step Functions is down');
      return start(workflow, input);
    };

    const report = await verifyStaleSnapshots(ports);

    expect(report.failed).toEqual([
      { snapshotId: first.id, error: 'Error: Step Functions is down' },
    ]);
    expect(report.started.map((each) => each.snapshotId)).toEqual([second.id]);
  });
});
