import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { PolicyNotFoundError } from '../../../../core/policies/policy-errors.ts';
import type { PolicySettingsInput } from '../../../../core/policies/snapshot-policy.ts';
import { viewPolicy } from '../../../../core/presentation/policy-view.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { createSnapshotPolicy } from '../../../../core/use-cases/create-snapshot-policy.ts';
import { deleteSnapshotPolicy } from '../../../../core/use-cases/delete-snapshot-policy.ts';
import { getSnapshotPolicy } from '../../../../core/use-cases/get-snapshot-policy.ts';
import { listSnapshotPolicies } from '../../../../core/use-cases/list-snapshot-policies.ts';
import { updateSnapshotPolicy } from '../../../../core/use-cases/update-snapshot-policy.ts';
import { ACCOUNT } from './support/given-ports.ts';

const NOW = '2026-03-01T10:20:00.000Z';
const LATER = '2026-03-01T11:00:00.000Z';
const OTHER_ACCOUNT = 'acct-2';

const HOURLY: PolicySettingsInput = {
  name: ' hourly web ',
  schedule: { every: '1h' },
  target: { sliceSelector: 'env==prod' },
  retain: { last: 3, daily: 7, weekly: 4 },
};

describe('snapshot policies', () => {
  let ports: MemoryPorts;

  beforeEach(() => {
    ports = createMemoryPorts({ now: NOW });
  });

  describe('createSnapshotPolicy', () => {
    it('stores the policy with the defaults of the fields left out', async () => {
      const policy = await createSnapshotPolicy(ports, { accountId: ACCOUNT, settings: HOURLY });

      expect(policy).toEqual({
        id: expect.stringMatching(/^pol_/),
        accountId: ACCOUNT,
        name: 'hourly web',
        enabled: true,
        schedule: { every: '1h' },
        target: { sliceSelector: 'env==prod' },
        retain: { last: 3, daily: 7, weekly: 4 },
        powerOff: false,
        labels: {},
        onSliceDeleted: 'keep',
        createdAt: NOW,
        updatedAt: NOW,
      });
      expect(await ports.policies.get(ACCOUNT, policy.id)).toEqual(policy);
    });

    it('shows the next run on the schedule, and none while disabled', async () => {
      const policy = await createSnapshotPolicy(ports, {
        accountId: ACCOUNT,
        settings: { ...HOURLY, schedule: { every: '6h', at: '01:30' } },
      });

      expect(viewPolicy(policy, ports.calendar, ports.clock.now()).nextRunAt).toBe(
        '2026-03-01T13:30:00.000Z',
      );
      expect(
        viewPolicy({ ...policy, enabled: false }, ports.calendar, ports.clock.now()).nextRunAt,
      ).toBeNull();
    });

    it('names every bad field: a cron more often than hourly, no rule, a bad selector', async () => {
      const attempt = createSnapshotPolicy(ports, {
        accountId: ACCOUNT,
        settings: {
          name: '',
          schedule: { cron: 'cron(0/30 * * * ? *)' },
          target: { sliceSelector: 'env in (' },
          retain: { daily: 0 },
        },
      });

      await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
      const issues = await attempt.then(
        () => [],
        (error: InvalidInputError) => error.issues,
      );
      expect(issues.map((issue) => issue.path)).toEqual([
        'name',
        'schedule.cron',
        'target.sliceSelector',
        'retain',
      ]);
      expect((await ports.policies.list(ACCOUNT, { limit: 10 })).items).toEqual([]);
    });
  });

  describe('updateSnapshotPolicy', () => {
    it('edits the policy in place: same id and creation, the new schedule moves the next run', async () => {
      const policy = await createSnapshotPolicy(ports, { accountId: ACCOUNT, settings: HOURLY });
      ports.clock.set(LATER);

      const updated = await updateSnapshotPolicy(ports, {
        accountId: ACCOUNT,
        policyId: policy.id,
        changes: { schedule: { every: '1d', at: '03:15' }, labels: { tier: 'gold' } },
      });

      expect(updated).toEqual({
        ...policy,
        schedule: { every: '1d', at: '03:15' },
        labels: { tier: 'gold' },
        updatedAt: LATER,
      });
      expect(viewPolicy(policy, ports.calendar, ports.clock.now()).nextRunAt).toBe(
        '2026-03-01T12:00:00.000Z',
      );
      expect(viewPolicy(updated, ports.calendar, ports.clock.now()).nextRunAt).toBe(
        '2026-03-02T03:15:00.000Z',
      );
    });

    it('checks the policy as changed, and keeps it as it was when the change is refused', async () => {
      const policy = await createSnapshotPolicy(ports, { accountId: ACCOUNT, settings: HOURLY });

      const attempt = updateSnapshotPolicy(ports, {
        accountId: ACCOUNT,
        policyId: policy.id,
        changes: { retain: { last: 0 } },
      });

      await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
      expect(await ports.policies.get(ACCOUNT, policy.id)).toEqual(policy);
    });
  });

  describe('another account', () => {
    it("never finds, changes, lists or deletes another account's policy", async () => {
      const policy = await createSnapshotPolicy(ports, { accountId: ACCOUNT, settings: HOURLY });
      const asOther = { accountId: OTHER_ACCOUNT, policyId: policy.id };

      await expect(getSnapshotPolicy(ports, asOther)).rejects.toBeInstanceOf(PolicyNotFoundError);
      await expect(
        updateSnapshotPolicy(ports, { ...asOther, changes: { enabled: false } }),
      ).rejects.toBeInstanceOf(PolicyNotFoundError);
      await expect(deleteSnapshotPolicy(ports, asOther)).rejects.toBeInstanceOf(
        PolicyNotFoundError,
      );
      expect((await listSnapshotPolicies(ports, { accountId: OTHER_ACCOUNT })).items).toEqual([]);
      expect(await ports.policies.get(ACCOUNT, policy.id)).toEqual(policy);
    });
  });

  describe('deleteSnapshotPolicy', () => {
    it('deletes the policy; it is not found afterwards', async () => {
      const policy = await createSnapshotPolicy(ports, { accountId: ACCOUNT, settings: HOURLY });

      await deleteSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id });

      await expect(
        getSnapshotPolicy(ports, { accountId: ACCOUNT, policyId: policy.id }),
      ).rejects.toBeInstanceOf(PolicyNotFoundError);
    });
  });

  describe('listSnapshotPolicies', () => {
    it('lists the policies newest first, a page at a time', async () => {
      const first = await createSnapshotPolicy(ports, { accountId: ACCOUNT, settings: HOURLY });
      const second = await createSnapshotPolicy(ports, { accountId: ACCOUNT, settings: HOURLY });

      const page = await listSnapshotPolicies(ports, { accountId: ACCOUNT, limit: 1 });
      const next = await listSnapshotPolicies(ports, {
        accountId: ACCOUNT,
        limit: 1,
        cursor: page.nextCursor,
      });

      expect(page.items.map((policy) => policy.id)).toEqual([second.id]);
      expect(next.items.map((policy) => policy.id)).toEqual([first.id]);
      expect(next.nextCursor).toBeNull();
    });
  });
});
