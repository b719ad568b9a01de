import { beforeEach, describe, expect, it } from 'vitest';
import { EVENT } from '../../../../core/events/event-types.ts';
import {
  PolicyRunInProgressError,
  PolicySliceBusyError,
} from '../../../../core/policies/policy-run.ts';
import { beginPolicyRun } from '../../../../core/use-cases/begin-policy-run.ts';
import { checkPolicySnapshot } from '../../../../core/use-cases/check-policy-snapshot.ts';
import { deleteSnapshotPolicy } from '../../../../core/use-cases/delete-snapshot-policy.ts';
import {
  endInterruptedPolicyRun,
  endOverduePolicyRuns,
} from '../../../../core/use-cases/finish-policy-run.ts';
import { runSnapshotPolicy } from '../../../../core/use-cases/run-snapshot-policy.ts';
import { takeRunSnapshot } from '../../../../core/use-cases/take-policy-snapshot.ts';
import { updateSnapshotPolicy } from '../../../../core/use-cases/update-snapshot-policy.ts';
import { STEP_FUNCTIONS_DOWN } from './support/failing-ports.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { expectEmittedOnceWhenRunTwice } from './support/outcomes.ts';
import { withANightlyPolicy } from './support/set-ups.ts';
import { aPolicyOf, captureSnapshot, uploadSnapshot } from './support/use-case-steps.ts';

const START = '2026-03-01T00:30:00.000Z';

describe('policy schedules and the run-policy workflow steps', () => {
  const given = givenPorts(withANightlyPolicy('02:15', { last: 2 }), { now: START });

  describe('schedules', () => {
    it('makes one schedule with the policy, edits it in place and deletes it with the policy', async () => {
      const { ports, policy } = given;
      const made = ports.policySchedules.schedules.get(policy.id);

      await updateSnapshotPolicy(ports, {
        accountId: ACCOUNT,
        policyId: policy.id,
        changes: { schedule: { every: '6h', at: '01:00' }, enabled: false },
      });
      const edited = ports.policySchedules.schedules.get(policy.id);
      await deleteSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id });

      expect(made).toEqual({
        accountId: ACCOUNT,
        policyId: policy.id,
        expression: 'cron(15 2 * * ? *)',
        enabled: true,
      });
      expect(edited).toEqual({ ...made, expression: 'cron(0 1/6 * * ? *)', enabled: false });
      expect(ports.policySchedules.schedules.has(policy.id)).toBe(false);
    });

    it('takes a policy back when its schedule cannot be made', async () => {
      const { ports, slice } = given;
      const failing = {
        ...ports,
        policySchedules: {
          put: async () => {
            throw new Error('Scheduler is down');
          },
          remove: async () => undefined,
        },
      };

      const created = aPolicyOf(failing, [slice.id], { name: 'never' });

      await expect(created).rejects.toThrow('Scheduler is down');
      const listed = await ports.policies.list(ACCOUNT, { limit: 10, cursor: null });
      expect(listed.items.map((each) => each.name)).toEqual(['nightly']);
    });

    it('puts the former schedule back when the record cannot be changed', async () => {
      const { ports, policy } = given;
      const policies = ports.policies;
      const unavailable: typeof policies = Object.assign(Object.create(policies), {
        get: (accountId: string, policyId: string) => policies.get(accountId, policyId),
        update: async () => {
          throw new Error('the table is unavailable');
        },
      });
      const conflicting = { ...ports, policies: unavailable };

      const update = updateSnapshotPolicy(conflicting, {
        accountId: ACCOUNT,
        policyId: policy.id,
        changes: { schedule: { every: '1h' } },
      });

      await expect(update).rejects.toThrow('the table is unavailable');
      expect(ports.policySchedules.schedules.get(policy.id)?.expression).toBe('cron(15 2 * * ? *)');
    });
  });

  describe('run now', () => {
    it('begins a manual run, starts its workflow named after it, and refuses a second meanwhile', async () => {
      const { ports, policy } = given;
      const run = await runSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id });

      const again = runSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id });

      expect(run).toMatchObject({ trigger: 'manual', status: 'running', policyId: policy.id });
      expect(ports.workflows.policyRuns).toEqual([
        { accountId: ACCOUNT, policyId: policy.id, runId: run.id },
      ]);
      await expect(again).rejects.toBeInstanceOf(PolicyRunInProgressError);
    });

    it('ends the run at once when its workflow cannot start, so the policy is free again', async () => {
      const { ports, slice, policy } = given;
      const down = { ...ports, workflows: STEP_FUNCTIONS_DOWN };

      await expect(
        runSnapshotPolicy(down, { accountId: ACCOUNT, policyId: policy.id }),
      ).rejects.toThrow('Step Functions is down');
      const [run] = (await ports.policyRuns.list(ACCOUNT, policy.id, { limit: 5, cursor: null }))
        .items;

      expect(run).toMatchObject({
        status: 'finished',
        failed: [{ sliceId: slice.id, code: 'WORKFLOW_START_FAILED' }],
      });
      await expect(
        runSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id }),
      ).resolves.toMatchObject({ status: 'running' });
    });

    it("answers another account's policy as missing", async () => {
      const { ports, policy } = given;
      await expect(
        runSnapshotPolicy(ports, { accountId: 'acct-2', policyId: policy.id }),
      ).rejects.toMatchObject({ code: 'POLICY_NOT_FOUND' });
    });
  });

  describe('BeginRun', () => {
    it("begins a schedule's run with the policy's target as it is now", async () => {
      const { ports, slice, policy } = given;
      const begun = await beginPolicyRun(ports, { accountId: ACCOUNT, policyId: policy.id });

      expect(begun).toMatchObject({ begun: true, sliceIds: [slice.id], reason: null });
      const run = await ports.policyRuns.get(ACCOUNT, policy.id, begun.runId ?? '');
      expect(run).toMatchObject({ trigger: 'schedule', status: 'running' });
    });

    it('begins nothing while the previous run goes, for a disabled policy, or a deleted one', async () => {
      const { ports, slice, policy } = given;
      await beginPolicyRun(ports, { accountId: ACCOUNT, policyId: policy.id });
      const overlapping = await beginPolicyRun(ports, { accountId: ACCOUNT, policyId: policy.id });
      const other = await aPolicyOf(ports, [slice.id], { name: 'off', enabled: false });
      const disabled = await beginPolicyRun(ports, { accountId: ACCOUNT, policyId: other.id });
      await deleteSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: other.id });
      const gone = await beginPolicyRun(ports, { accountId: ACCOUNT, policyId: other.id });

      expect([overlapping, disabled, gone]).toEqual([
        { begun: false, runId: null, sliceIds: [], reason: 'previous-run-going' },
        { begun: false, runId: null, sliceIds: [], reason: 'policy-disabled' },
        { begun: false, runId: null, sliceIds: [], reason: 'policy-gone' },
      ]);
    });

    it('carries out the run the API began, without beginning another', async () => {
      const { ports, slice, policy } = given;
      const run = await runSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id });

      const begun = await beginPolicyRun(ports, {
        accountId: ACCOUNT,
        policyId: policy.id,
        runId: run.id,
      });

      expect(begun).toEqual({ begun: true, runId: run.id, sliceIds: [slice.id], reason: null });
      const runs = await ports.policyRuns.list(ACCOUNT, policy.id, { limit: 5, cursor: null });
      expect(runs.items).toHaveLength(1);
    });
  });

  describe('TakeSnapshot and CheckSnapshot', () => {
    let runId: string | null = null;

    beforeEach(() => {
      runId = null;
    });

    /** TakeSnapshot's input for the slice, in a run of the policy begun at the first call. */
    async function takeStep() {
      const { ports, slice, policy } = given;
      runId ??= (await beginPolicyRun(ports, { accountId: ACCOUNT, policyId: policy.id })).runId;
      if (!runId) throw new Error('no run begun');
      return { accountId: ACCOUNT, policyId: policy.id, runId, sliceId: slice.id };
    }

    /** Takes the run's snapshot to the end: captured, uploaded, available, the slice free. */
    async function finishSnapshotOf(snapshotId: string | null) {
      const { ports, slice } = given;
      const operationId = (await ports.slices.get(ACCOUNT, slice.id))?.lock?.operationId;
      if (!snapshotId || !operationId) throw new Error('no snapshot under way');
      const step = { accountId: ACCOUNT, sliceId: slice.id, snapshotId, operationId };
      await captureSnapshot(ports, step);
      await uploadSnapshot(ports, step, slice, ['chunk-1']);
    }

    it('answers the snapshot its run asked for already when the step runs again, and takes no second one', async () => {
      const { ports, slice } = given;
      const first = await takeRunSnapshot(ports, await takeStep());
      const whileBusy = await takeRunSnapshot(ports, await takeStep());
      const slicesSnapshots = await ports.snapshots.list(
        ACCOUNT,
        { sliceId: slice.id },
        { limit: 100 },
      );

      expect(first.snapshotId).not.toBeNull();
      expect(whileBusy).toEqual(first);
      expect(slicesSnapshots.items.map((each) => each.id)).toEqual([first.snapshotId]);
      expect(
        ports.workflows.started.filter((each) => each.workflow === 'create-snapshot'),
      ).toHaveLength(1);
    });

    it('takes a new snapshot in a later run, beside the one an earlier run took', async () => {
      const { ports } = given;
      const earlier = await takeRunSnapshot(ports, await takeStep());
      await finishSnapshotOf(earlier.snapshotId);
      // The earlier run never finished: its hold on the policy runs out, as a lost run's does.
      ports.clock.advanceSeconds(9 * 3_600);
      runId = null;

      const later = await takeRunSnapshot(ports, await takeStep());

      expect(later.snapshotId).not.toBeNull();
      expect(later.snapshotId).not.toBe(earlier.snapshotId);
    });

    it('throws for a busy slice, so that the workflow tries it again', async () => {
      const { ports, slice } = given;
      await ports.slices.acquireLock({
        accountId: ACCOUNT,
        sliceId: slice.id,
        operationId: ports.ids.next('operation'),
        operationType: 'slice.power',
        now: START,
      });

      await expect(takeRunSnapshot(ports, await takeStep())).rejects.toBeInstanceOf(
        PolicySliceBusyError,
      );
    });

    it('skips a deleted slice with the reason, and fails once the policy is deleted', async () => {
      const { ports, slice, policy } = given;
      const current = await ports.slices.get(ACCOUNT, slice.id);
      if (!current) throw new Error('no slice');
      await ports.slices.update(current, { ...current, status: 'deleted' });

      const skipped = await takeRunSnapshot(ports, await takeStep());
      await deleteSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id });

      expect(skipped).toEqual({ snapshotId: null, skipped: 'slice-gone' });
      await expect(takeRunSnapshot(ports, await takeStep())).rejects.toMatchObject({
        code: 'POLICY_NOT_FOUND',
      });
    });

    it('looks again soon at a young snapshot, at most a minute apart later, and reports how it ended', async () => {
      const { ports } = given;
      const { snapshotId } = await takeRunSnapshot(ports, await takeStep());
      if (!snapshotId) throw new Error('nothing taken');
      const check = () => checkPolicySnapshot(ports, { accountId: ACCOUNT, snapshotId });

      const young = await check();
      ports.clock.advanceSeconds(300);
      const older = await check();
      ports.clock.advanceSeconds(3_600);
      const old = await check();
      const snapshot = await ports.snapshots.get(ACCOUNT, snapshotId);
      if (!snapshot) throw new Error('no snapshot');
      await ports.snapshots.update(snapshot, {
        ...snapshot,
        status: 'failed',
        error: { code: 'AGENT_TIMEOUT', message: 'the host stopped reporting' },
      });
      const failed = await check();

      expect([young, older, old]).toEqual([
        { status: 'pending', code: null, waitSeconds: 2 },
        { status: 'pending', code: null, waitSeconds: 30 },
        { status: 'pending', code: null, waitSeconds: 60 },
      ]);
      expect(failed).toEqual({ status: 'failed', code: 'AGENT_TIMEOUT', waitSeconds: 0 });
    });
  });

  describe('an execution that ended outside its Catch', () => {
    it('ends the run it names, once', async () => {
      const { ports, policy } = given;
      const run = await runSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id });
      const input = {
        accountId: ACCOUNT,
        policyId: policy.id,
        runId: run.id,
        executionStartedAt: new Date(START),
        executionStatus: 'ABORTED' as const,
      };

      const { first, again } = await expectEmittedOnceWhenRunTwice(
        ports,
        EVENT.policyRunCompleted,
        () => endInterruptedPolicyRun(ports, input),
      );

      expect(first).toMatchObject({
        status: 'finished',
        error: { code: 'WORKFLOW_ABORTED' },
      });
      expect(again).toBeNull();
    });

    it("ends a schedule's run only when it began after the execution did", async () => {
      const { ports, policy } = given;
      const begun = await beginPolicyRun(ports, { accountId: ACCOUNT, policyId: policy.id });
      const input = {
        accountId: ACCOUNT,
        policyId: policy.id,
        executionStatus: 'TIMED_OUT' as const,
      };

      const later = await endInterruptedPolicyRun(ports, {
        ...input,
        executionStartedAt: new Date(Date.parse(START) + 1_000),
      });
      const ended = await endInterruptedPolicyRun(ports, {
        ...input,
        executionStartedAt: new Date(START),
      });

      expect(later).toBeNull();
      expect(ended).toMatchObject({ id: begun.runId, error: { code: 'WORKFLOW_TIMED_OUT' } });
    });
  });

  describe('the sweep', () => {
    it('ends a run still running once its hold has passed, as timed out, and frees its policy', async () => {
      const { ports, policy } = given;
      const run = await runSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id });

      const early = await endOverduePolicyRuns(ports);
      ports.clock.advanceSeconds(8 * 3_600);
      const ended = await endOverduePolicyRuns(ports);
      const again = await endOverduePolicyRuns(ports);

      expect(early).toEqual([]);
      expect(ended).toEqual([run.id]);
      expect(again).toEqual([]);
      expect(await ports.policyRuns.get(ACCOUNT, policy.id, run.id)).toMatchObject({
        status: 'finished',
        error: { code: 'WORKFLOW_TIMED_OUT' },
      });
      await expect(
        runSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id }),
      ).resolves.toMatchObject({ status: 'running' });
    });
  });
});
