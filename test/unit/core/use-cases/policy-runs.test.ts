import { describe, expect, it } from 'vitest';
import type { MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { PolicyNotFoundError } from '../../../../core/policies/policy-errors.ts';
import { PolicyRunInProgressError } from '../../../../core/policies/policy-run.ts';
import { scheduledRuns } from '../../../../core/policies/policy-schedule.ts';
import type { SnapshotPolicy } from '../../../../core/policies/snapshot-policy.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import { finishPolicyRun } from '../../../../core/use-cases/finish-policy-run.ts';
import { listPolicyRuns } from '../../../../core/use-cases/list-policy-runs.ts';
import { prunePolicySnapshots } from '../../../../core/use-cases/prune-policy-snapshots.ts';
import { simulateSnapshotPolicy } from '../../../../core/use-cases/simulate-snapshot-policy.ts';
import { startPolicyRun } from '../../../../core/use-cases/start-policy-run.ts';
import {
  type PolicyTake,
  takePolicySnapshot,
} from '../../../../core/use-cases/take-policy-snapshot.ts';
import { anAvailableSnapshot } from '../../../support/records.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import {
  anActiveSlice,
  aPolicyOf,
  captureSnapshot,
  uploadSnapshot,
} from './support/use-case-steps.ts';

const START = '2026-03-01T00:30:00.000Z';
const DAY_MS = 86_400_000;

/** What a run took of a slice: the snapshot it asked for. */
type TakenSnapshot = Extract<PolicyTake, { snapshotId: string }>;

/** Takes a requested snapshot through its workflow's steps: locked, captured, uploaded, available. */
async function completeSnapshot(ports: MemoryPorts, take: TakenSnapshot) {
  const step = { accountId: ACCOUNT, ...take };
  await captureSnapshot(ports, step);
  await uploadSnapshot(
    ports,
    step,
    { diskBytes: 10 * BYTES_PER_GIB, usedBytes: 3 * BYTES_PER_GIB },
    ['chunk-1'],
  );
}

/**
 * One run of `policy` at the clock's time, as the run-policy workflow does it: the run begun, a
 * snapshot of each target slice through its workflow's steps, the prune of each, the run finished.
 */
async function runPolicy(ports: MemoryPorts, policy: SnapshotPolicy): Promise<PolicyTake[]> {
  const ids = { accountId: policy.accountId, policyId: policy.id };
  const { run, sliceIds } = await startPolicyRun(ports, { ...ids, trigger: 'schedule' });
  const takes: PolicyTake[] = [];
  for (const sliceId of sliceIds) {
    const take = await takePolicySnapshot(ports, { policy, sliceId });
    if ('snapshotId' in take) await completeSnapshot(ports, take);
    takes.push(take);
  }
  const pruned: string[] = [];
  for (const sliceId of sliceIds) {
    pruned.push(...(await prunePolicySnapshots(ports, { policy, sliceId })));
  }
  await finishPolicyRun(ports, {
    ...ids,
    runId: run.id,
    outcome: {
      taken: takes.flatMap((take) => ('snapshotId' in take ? [take] : [])),
      skipped: takes.flatMap((take) =>
        'skipped' in take ? [{ sliceId: take.sliceId, reason: take.skipped }] : [],
      ),
      pruned,
      failed: [],
    },
  });
  return takes;
}

async function policySnapshots(ports: MemoryPorts, policy: SnapshotPolicy, status: string) {
  const all = await ports.snapshots.list(
    ACCOUNT,
    status === 'recycled' ? { status: 'recycled' } : {},
    { limit: 100 },
  );
  const items: Snapshot[] = [...all.items];
  let cursor = all.nextCursor;
  while (cursor) {
    const page = await ports.snapshots.list(
      ACCOUNT,
      status === 'recycled' ? { status: 'recycled' } : {},
      { limit: 100, cursor },
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  }
  return items.filter((s) => s.policyId === policy.id && s.status === status);
}

describe('policy runs', () => {
  const given = givenPorts(
    async (ports) => ({
      slice: await anActiveSlice(ports, { usedBytes: 3 * BYTES_PER_GIB, labels: { env: 'prod' } }),
    }),
    { now: START },
  );

  it('leaves after 40 simulated days of hourly runs exactly the set simulate predicted, the rest in the recycle bin', async () => {
    const { ports } = given;
    const policy = await aPolicyOf(ports, 'env==prod', {
      name: 'hourly',
      retain: { last: 3, daily: 7, weekly: 4 },
      labels: { tier: 'gold' },
    });
    const prediction = await simulateSnapshotPolicy(ports, {
      accountId: ACCOUNT,
      policyId: policy.id,
      days: 40,
    });
    const runs = scheduledRuns(policy.schedule, ports.calendar, {
      after: new Date(START),
      until: new Date(Date.parse(START) + 40 * DAY_MS),
      max: 2000,
    });

    for (const run of runs) {
      ports.clock.set(run);
      await runPolicy(ports, policy);
    }

    const kept = await policySnapshots(ports, policy, 'available');
    const predicted = prediction.slices[0]?.endOfWindow;
    expect(runs).toHaveLength(960);
    expect(kept.map((s) => s.createdAt).sort()).toEqual(
      predicted?.snapshots.map((s) => s.createdAt).sort(),
    );
    // The last 3 hours, then 7 days before today's, then 4 ISO weeks before those: 14 in all.
    expect(kept).toHaveLength(14);
    expect(predicted?.snapshots.filter((s) => s.decision === 'keep')).toHaveLength(14);
    const recycled = await policySnapshots(ports, policy, 'recycled');
    expect(recycled).toHaveLength(960 - 14);
    expect(predicted?.pruned).toBe(960 - 14);
    expect(kept.every((s) => s.labels['slice-snapshots/policy'] === policy.id.toLowerCase())).toBe(
      true,
    );
    expect(kept.every((s) => s.labels.tier === 'gold' && !s.powerOff)).toBe(true);
  }, 60_000);

  it('picks up a slice labelled after the policy was made', async () => {
    const { ports, slice } = given;
    const policy = await aPolicyOf(ports, 'env==prod', { name: 'prod', retain: { last: 2 } });
    const later = await anActiveSlice(ports, { name: 'db-1' });

    const first = await runPolicy(ports, policy);
    await ports.slices.update(later, { ...later, labels: { env: 'prod' } });
    ports.clock.set('2026-03-01T01:00:00.000Z');
    const second = await runPolicy(ports, policy);

    expect(first.map((take) => take.sliceId)).toEqual([slice.id]);
    expect(second.map((take) => take.sliceId).sort()).toEqual([slice.id, later.id].sort());
  });

  it('skips a busy slice with the reason, and never prunes a protected snapshot', async () => {
    const { ports, slice } = given;
    const policy = await aPolicyOf(ports, [slice.id]);
    const [first] = await runPolicy(ports, policy);
    const kept = await ports.snapshots.get(ACCOUNT, (first as { snapshotId: string }).snapshotId);
    if (!kept) throw new Error('the first run took nothing');
    await ports.snapshots.update(kept, { ...kept, protected: true });
    ports.clock.set('2026-03-01T01:00:00.000Z');
    await runPolicy(ports, policy);
    const current = await ports.slices.get(ACCOUNT, slice.id);
    if (!current) throw new Error('the slice is gone');
    await ports.slices.acquireLock({
      accountId: ACCOUNT,
      sliceId: slice.id,
      operationId: ports.ids.next('operation'),
      operationType: 'slice.power',
      now: '2026-03-01T01:30:00.000Z',
    });

    const busy = await takePolicySnapshot(ports, { policy, sliceId: slice.id });

    expect(busy).toEqual({ sliceId: slice.id, skipped: 'slice-busy' });
    expect((await ports.snapshots.get(ACCOUNT, kept.id))?.status).toBe('available');
    expect(await policySnapshots(ports, policy, 'available')).toHaveLength(2);
  });

  it("never takes nor prunes another account's slice or snapshots", async () => {
    const { ports, slice } = given;
    const foreignSlice = { ...slice, id: ports.ids.next('slice'), accountId: 'acct-2' };
    await ports.slices.create(foreignSlice);
    const policy = await aPolicyOf(ports, [foreignSlice.id], {
      name: 'theirs',
      onSliceDeleted: 'apply',
    });
    // Even snapshots of theirs carrying this policy's id are not this account's to prune.
    const theirs = {
      ...anAvailableSnapshot({
        id: ports.ids.next('snapshot'),
        accountId: 'acct-2',
        sliceId: foreignSlice.id,
      }),
      policyId: policy.id,
    };
    await ports.snapshots.create(theirs);
    await ports.snapshots.create({ ...theirs, id: ports.ids.next('snapshot') });

    const takes = await runPolicy(ports, policy);

    expect(takes).toEqual([{ sliceId: foreignSlice.id, skipped: 'slice-gone' }]);
    expect((await ports.snapshots.get('acct-2', theirs.id))?.status).toBe('available');
    expect((await ports.slices.get('acct-2', foreignSlice.id))?.status).toBe('active');
    expect(ports.workflows.started).toEqual([]);
  });

  it('refuses a run while one is going, tells a finished run once, and shows the history to its account only', async () => {
    const { ports, slice } = given;
    const policy = await aPolicyOf(ports, [slice.id]);
    const ids = { accountId: ACCOUNT, policyId: policy.id };
    const { run } = await startPolicyRun(ports, { ...ids, trigger: 'manual' });

    const overlapping = startPolicyRun(ports, { ...ids, trigger: 'schedule' });
    await expect(overlapping).rejects.toBeInstanceOf(PolicyRunInProgressError);
    const outcome = {
      taken: [{ sliceId: slice.id, snapshotId: 'snp_1' }],
      skipped: [],
      pruned: ['snp_0'],
      failed: [],
    };
    await finishPolicyRun(ports, { ...ids, runId: run.id, outcome });
    await finishPolicyRun(ports, { ...ids, runId: run.id, outcome });
    const next = await startPolicyRun(ports, { ...ids, trigger: 'schedule' });

    expect(ports.events.published.filter((e) => e.detailType === 'Policy Run Completed')).toEqual([
      {
        detailType: 'Policy Run Completed',
        detail: {
          accountId: ACCOUNT,
          policyId: policy.id,
          runId: run.id,
          taken: 1,
          skipped: 0,
          pruned: 1,
          failed: 0,
        },
        key: run.id,
      },
    ]);
    const history = await listPolicyRuns(ports, ids);
    const theirs = listPolicyRuns(ports, { ...ids, accountId: 'acct-2' });
    await expect(theirs).rejects.toBeInstanceOf(PolicyNotFoundError);
    expect(history.items.map((each) => [each.id, each.status])).toEqual([
      [next.run.id, 'running'],
      [run.id, 'finished'],
    ]);
  });
});
