import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { LOCAL_POLICY_SCHEDULE_GROUP } from '../../blueprint/facts.ts';
import { eventually, MIB, SnapshotBed, type SnapshotView } from './support/snapshot-bed.ts';

interface PolicyView {
  id: string;
  nextRunAt: string | null;
}
interface RunView {
  id: string;
  trigger: 'schedule' | 'manual';
  status: 'running' | 'finished';
  taken: { sliceId: string; snapshotId: string }[];
  skipped: { sliceId: string; reason: string }[];
  pruned: string[];
  failed: { sliceId: string; code: string }[];
  error: { code: string } | null;
}
interface PolicySnapshotView extends SnapshotView {
  policyId: string | null;
  labels: Record<string, string>;
}

describe('policy runs, through the run-policy workflow and the real agent', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  /** The run's `Policy Run Completed`, once it is on the bus. */
  const completed = (runId: string) =>
    bed.eventWhere('Policy Run Completed', (detail) => detail.runId === runId, runId);
  const runsOf = async (token: string, policyId: string) =>
    (await bed.api<{ items: RunView[] }>(token, 'GET', `/v1/snapshot-policies/${policyId}/runs`))
      .body.items;
  const schedule = (policyId: string) => {
    const client = new SchedulerClient({});
    return client
      .send(new GetScheduleCommand({ Name: policyId, GroupName: LOCAL_POLICY_SCHEDULE_GROUP }))
      .finally(() => client.destroy());
  };

  it('runs now: takes the snapshot through create-snapshot, then prunes into the recycle bin; one run at a time', async () => {
    const { token, slice } = await bed.sliceWithData(2);
    const other = await bed.account();
    const created = await bed.api<PolicyView>(token, 'POST', '/v1/snapshot-policies', {
      body: {
        name: 'keep one',
        schedule: { every: '1d' },
        target: { sliceIds: [slice.id] },
        retain: { last: 1 },
        labels: { team: 'web' },
      },
    });
    const policy = created.body;

    const first = await bed.api<RunView>(token, 'POST', `/v1/snapshot-policies/${policy.id}/run`);
    const overlapping = await bed.api<{ code: string }>(
      token,
      'POST',
      `/v1/snapshot-policies/${policy.id}/run`,
    );
    const theirs = await bed.api<{ code: string }>(
      other.token,
      'POST',
      `/v1/snapshot-policies/${policy.id}/run`,
    );
    const firstDone = await completed(first.body.id);

    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ trigger: 'manual', status: 'running' });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.code).toBe('POLICY_RUN_IN_PROGRESS');
    expect(theirs.status).toBe(404);
    expect(firstDone).toMatchObject({ policyId: policy.id, taken: 1, skipped: 0, pruned: 0 });
    const [firstRun] = await runsOf(token, policy.id);
    const takenId = firstRun?.taken[0]?.snapshotId ?? '';
    const taken = (await bed.api<PolicySnapshotView>(token, 'GET', `/v1/snapshots/${takenId}`))
      .body;
    expect(taken).toMatchObject({
      status: 'available',
      policyId: policy.id,
      labels: { team: 'web', 'slice-snapshots/policy': policy.id.toLowerCase() },
    });

    bed.writeData(slice.id, [{ offset: 8 * MIB, bytes: MIB }], slice.diskBytes);
    const second = await bed.api<RunView>(token, 'POST', `/v1/snapshot-policies/${policy.id}/run`);
    await completed(second.body.id);
    const [secondRun] = await runsOf(token, policy.id);

    expect(secondRun).toMatchObject({
      id: second.body.id,
      status: 'finished',
      pruned: [takenId],
      failed: [],
      error: null,
    });
    expect(secondRun?.taken).toHaveLength(1);
    expect(
      (await bed.api<PolicySnapshotView>(token, 'GET', `/v1/snapshots/${takenId}`)).body.status,
    ).toBe('recycled');
  });

  it('runs on its schedule on the moved clock, picks up a slice labelled since, and stops once deleted', async () => {
    const { token } = await bed.account();
    const created = await bed.api<PolicyView>(token, 'POST', '/v1/snapshot-policies', {
      body: {
        name: 'hourly prod',
        schedule: { every: '1h' },
        target: { sliceSelector: 'env==prod' },
        retain: { last: 3 },
      },
    });
    const policy = created.body;
    const slice = await bed.activeSlice(token);
    await bed.api(token, 'PATCH', `/v1/slices/${slice.id}`, { body: { labels: { env: 'prod' } } });

    bed.clock.advanceTo(new Date(Date.parse(policy.nextRunAt ?? '') + 1_000));
    const done = await bed.eventWhere(
      'Policy Run Completed',
      (detail) => detail.policyId === policy.id,
      policy.id,
    );
    const [run] = await runsOf(token, policy.id);

    expect(done).toMatchObject({ taken: 1, failed: 0 });
    expect(run).toMatchObject({ trigger: 'schedule', status: 'finished' });
    expect(run?.taken.map((each) => each.sliceId)).toEqual([slice.id]);

    const edited = await bed.api<PolicyView>(token, 'PATCH', `/v1/snapshot-policies/${policy.id}`, {
      body: { schedule: { every: '1d', at: '03:15' } },
    });
    expect((await schedule(policy.id)).ScheduleExpression).toBe('cron(15 3 * * ? *)');
    expect(edited.body.nextRunAt).toMatch(/T03:15:00\.000Z$/);
    expect(bed.cloud.schedules()).toContain(`${LOCAL_POLICY_SCHEDULE_GROUP}/${policy.id}`);

    expect((await bed.api(token, 'DELETE', `/v1/snapshot-policies/${policy.id}`)).status).toBe(204);
    await expect(schedule(policy.id)).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(bed.cloud.schedules()).not.toContain(`${LOCAL_POLICY_SCHEDULE_GROUP}/${policy.id}`);
  });

  /** A policy of one slice, keeping its newest snapshot, created and not run yet. */
  async function aPolicyOf(token: string, sliceId: string) {
    return (
      await bed.api<PolicyView>(token, 'POST', '/v1/snapshot-policies', {
        body: {
          name: 'cut short',
          schedule: { every: '1d' },
          target: { sliceIds: [sliceId] },
          retain: { last: 1 },
        },
      })
    ).body;
  }

  /** A policy of one slice run now, its snapshot's capture lost on the way to the host. */
  async function runOnce(token: string, sliceId: string) {
    const policy = await aPolicyOf(token, sliceId);
    const held = bed.front.holdNext('capture');
    const run = await bed.api<RunView>(token, 'POST', `/v1/snapshot-policies/${policy.id}/run`);
    await held;
    return { policy, run: run.body };
  }

  it('goes on with a run cut short by a crash of Step Functions: it finishes with its snapshot', async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const { policy, run } = await runOnce(token, slice.id);

    await bed.cloud.crashStepFunctions();
    const done = await completed(run.id);
    const [finished] = await runsOf(token, policy.id);

    expect(done).toMatchObject({ runId: run.id, taken: 1, failed: 0 });
    expect(finished).toMatchObject({ id: run.id, status: 'finished', error: null });
    const taken = finished?.taken[0]?.snapshotId ?? '';
    expect(
      (await bed.api<PolicySnapshotView>(token, 'GET', `/v1/snapshots/${taken}`)).body,
    ).toMatchObject({ status: 'available', policyId: policy.id });
  });

  it('ends a run whose workflow was stopped as aborted, frees the policy, and lets its snapshot finish', async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const policy = await aPolicyOf(token, slice.id);
    const delayed = bed.front.delayNext('capture');
    const run = (await bed.api<RunView>(token, 'POST', `/v1/snapshot-policies/${policy.id}/run`))
      .body;
    const capture = await delayed;

    await bed.sfn.send(
      new StopExecutionCommand({ executionArn: bed.executionArn('run-policy', run.id) }),
    );
    const done = await completed(run.id);
    const [ended] = await runsOf(token, policy.id);
    await capture.release();
    const snapshot = await eventually(async () => {
      const listed = await bed.api<{ items: PolicySnapshotView[] }>(
        token,
        'GET',
        `/v1/snapshots?sliceId=${slice.id}`,
      );
      const [taken] = listed.body.items;
      return taken?.status === 'available' ? taken : undefined;
    }, 'the snapshot the run began');
    const next = await bed.api<RunView>(token, 'POST', `/v1/snapshot-policies/${policy.id}/run`);

    expect(done).toMatchObject({ runId: run.id, taken: 0 });
    expect(ended).toMatchObject({
      id: run.id,
      status: 'finished',
      error: { code: 'WORKFLOW_ABORTED' },
    });
    expect(snapshot.policyId).toBe(policy.id);
    // The policy is free again at once, not only after the run's hold.
    expect(next.status).toBe(202);
    await completed(next.body.id);
  });
});
