import { describe, expect, it } from 'vitest';
import type { MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import type { SnapshotPolicy } from '../../../../core/policies/snapshot-policy.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import type { Slice } from '../../../../core/slices/slice.ts';
import type { Snapshot } from '../../../../core/snapshots/snapshot.ts';
import {
  simulateSnapshotPolicy,
  simulateUnsavedSnapshotPolicy,
} from '../../../../core/use-cases/simulate-snapshot-policy.ts';
import { anAvailableSnapshot } from '../../../support/records.ts';
import { ACCOUNT, givenPorts } from './support/given-ports.ts';
import { withANightlyPolicy } from './support/set-ups.ts';
import { anActiveSlice, hourlyPolicySettings } from './support/use-case-steps.ts';

const NOW = '2026-03-03T00:30:00.000Z';
const HOUR_MS = 3_600_000;

/** Stores an available snapshot of `slice` taken by `policy` at `createdAt`, 2 GiB. */
async function aPolicySnapshot(
  ports: MemoryPorts,
  slice: Slice,
  policy: SnapshotPolicy,
  createdAt: string,
  overrides: { protected?: boolean } = {},
) {
  const snapshot = {
    ...anAvailableSnapshot({
      id: ports.ids.next('snapshot'),
      accountId: ACCOUNT,
      sliceId: slice.id,
      sizeBytes: 2 * BYTES_PER_GIB,
    }),
    createdAt,
    policyId: policy.id,
    protected: overrides.protected ?? false,
  };
  await ports.snapshots.create(snapshot);
  return snapshot;
}

describe('simulateSnapshotPolicy', () => {
  const given = givenPorts(withANightlyPolicy('01:00', { last: 2, daily: 2 }), { now: NOW });

  it('names the rule keeping each existing snapshot and those the next run prunes, and writes nothing', async () => {
    const { ports, slice, policy } = given;
    const days = ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'];
    const existing: Snapshot[] = [];
    for (const day of days)
      existing.push(await aPolicySnapshot(ports, slice, policy, `${day}T01:00:00.000Z`));
    // A snapshot taken by hand is never the policy's to prune.
    await ports.snapshots.create(
      anAvailableSnapshot({
        id: ports.ids.next('snapshot'),
        accountId: ACCOUNT,
        sliceId: slice.id,
      }),
    );
    const before = await ports.snapshots.list(ACCOUNT, {}, { limit: 100 });

    const simulation = await simulateSnapshotPolicy(ports, {
      accountId: ACCOUNT,
      policyId: policy.id,
      days: 3,
    });

    expect(simulation.window).toEqual({ from: NOW, to: '2026-03-06T00:30:00.000Z' });
    expect(simulation.runs).toEqual([
      '2026-03-03T01:00:00.000Z',
      '2026-03-04T01:00:00.000Z',
      '2026-03-05T01:00:00.000Z',
    ]);
    const [outcome] = simulation.slices;
    /** How the simulation shows an existing 2 GiB snapshot that `rule` keeps. */
    const keptBy = (index: number, rule: 'last' | 'daily') => ({
      snapshotId: existing[index]?.id,
      createdAt: `${days[index]}T01:00:00.000Z`,
      sizeBytes: 2 * BYTES_PER_GIB,
      decision: 'keep',
      rule,
    });
    expect(outcome?.now.snapshots).toEqual([
      keptBy(3, 'last'),
      keptBy(2, 'last'),
      keptBy(1, 'daily'),
      keptBy(0, 'daily'),
    ]);
    expect(outcome?.endOfWindow).toMatchObject({
      taken: 3,
      pruned: 3,
      prunedExisting: [
        { snapshotId: existing[0]?.id, prunedAt: '2026-03-03T01:00:00.000Z' },
        { snapshotId: existing[1]?.id, prunedAt: '2026-03-04T01:00:00.000Z' },
        { snapshotId: existing[2]?.id, prunedAt: '2026-03-05T01:00:00.000Z' },
      ],
    });
    expect(
      outcome?.endOfWindow.snapshots.map((s) => [
        s.snapshotId,
        s.createdAt,
        'rule' in s ? s.rule : s.decision,
      ]),
    ).toEqual([
      [null, '2026-03-05T01:00:00.000Z', 'last'],
      [null, '2026-03-04T01:00:00.000Z', 'last'],
      [null, '2026-03-03T01:00:00.000Z', 'daily'],
      [existing[3]?.id, '2026-03-02T01:00:00.000Z', 'daily'],
    ]);
    // Four of 2 GiB now; at the end three of 3 GiB and one of 2 GiB: $0.40, then $0.55.
    expect(simulation.monthlyCost).toEqual({
      now: { amount: '0.40', currency: 'USD' },
      endOfWindow: { amount: '0.55', currency: 'USD' },
    });
    expect(await ports.snapshots.list(ACCOUNT, {}, { limit: 100 })).toEqual(before);
    expect(ports.events.published).toEqual([]);
    expect(ports.workflows.started).toEqual([]);
  });

  it('never prunes a protected snapshot, and counts it for no rule', async () => {
    const { ports, slice, policy } = given;
    const kept = await aPolicySnapshot(ports, slice, policy, '2026-03-02T01:00:00.000Z', {
      protected: true,
    });

    const simulation = await simulateSnapshotPolicy(ports, {
      accountId: ACCOUNT,
      policyId: policy.id,
      days: 10,
    });

    const end = simulation.slices[0]?.endOfWindow;
    expect(end?.snapshots.filter((s) => s.decision === 'keep')).toHaveLength(4);
    expect(end?.snapshots.find((s) => s.snapshotId === kept.id)?.decision).toBe('protected');
    expect(end?.prunedExisting).toEqual([]);
  });

  it("shows a slice of another account as gone, with nothing of that account's", async () => {
    const { ports, policy } = given;
    const foreign = {
      ...(await anActiveSlice(ports)),
      id: ports.ids.next('slice'),
      accountId: 'acct-2',
    };
    await ports.slices.create(foreign);
    await ports.snapshots.create({
      ...anAvailableSnapshot({
        id: ports.ids.next('snapshot'),
        accountId: 'acct-2',
        sliceId: foreign.id,
      }),
      policyId: policy.id,
    });

    const simulation = await simulateUnsavedSnapshotPolicy(ports, {
      accountId: ACCOUNT,
      settings: hourlyPolicySettings([foreign.id], { name: 'theirs' }),
      days: 1,
    });

    expect(simulation.slices).toEqual([
      expect.objectContaining({
        sliceId: foreign.id,
        sliceName: null,
        status: 'gone',
        now: { snapshots: [], monthlyCost: { amount: '0.00', currency: 'USD' } },
      }),
    ]);
    expect(simulation.slices[0]?.endOfWindow.taken).toBe(0);
  });

  it('simulates an unsaved policy on the slices its selector picks now', async () => {
    const { ports } = given;
    const prod = await anActiveSlice(ports, { name: 'db-1', labels: { env: 'prod' } });
    const alike = await anActiveSlice(ports, { name: 'db-2', labels: { env: 'prod' } });

    const simulation = await simulateUnsavedSnapshotPolicy(ports, {
      accountId: ACCOUNT,
      settings: {
        name: 'prod hourly',
        schedule: { every: '1h' },
        target: { sliceSelector: 'env==prod' },
        retain: { last: 3, hourly: 2 },
      },
      days: 1,
    });

    expect(simulation.policyId).toBeNull();
    expect(simulation.runs).toHaveLength(24);
    expect(Date.parse(simulation.runs[1] ?? '') - Date.parse(simulation.runs[0] ?? '')).toBe(
      HOUR_MS,
    );
    expect(
      simulation.slices.map((s) => [
        s.sliceId,
        s.sliceName,
        s.endOfWindow.taken,
        s.endOfWindow.pruned,
      ]),
    ).toEqual([
      [alike.id, 'db-2', 24, 19],
      [prod.id, 'db-1', 24, 19],
    ]);
  });
});
