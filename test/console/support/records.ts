import type {
  Operation,
  PolicyRun,
  PolicySimulation,
  Progress,
  Slice,
  Snapshot,
  SnapshotPolicy,
} from '../../../console/src/api/client.ts';

const GIB = 1024 ** 3;

/** The regions of the fake API, Frankfurt 1 (where the records are) first. */
export const REGIONS = [
  { id: 'fra1', name: 'Frankfurt 1' },
  { id: 'nyc1', name: 'New York 1' },
  { id: 'sgp1', name: 'Singapore 1' },
];

/** A transfer's progress: 40 GiB, done in 72.4 s, unless `overrides` say otherwise. */
export function aProgress(overrides: Partial<Progress> = {}): Progress {
  return {
    percent: 100,
    bytesDone: 40 * GIB,
    bytesTotal: 40 * GIB,
    elapsedSeconds: 72.4,
    etaSeconds: 0,
    stalledSeconds: 0,
    ...overrides,
  };
}

export function aSlice(overrides: Partial<Slice> = {}): Slice {
  return {
    id: 'slc_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    name: 'web-1',
    region: 'fra1',
    status: 'active',
    power: 'on',
    diskGB: 50,
    diskBytes: 50 * GIB,
    usedBytes: 40 * GIB,
    createdAt: '2026-03-01T10:00:00.000Z',
    fromSnapshotId: null,
    labels: {},
    deleteProtected: false,
    ...overrides,
  };
}

export function aSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    id: 'snp_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    name: 'nightly',
    region: 'fra1',
    status: 'available',
    sliceId: 'slc_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    sliceName: 'web-1',
    sizeBytes: 40 * GIB,
    sizeGB: 40,
    diskBytes: 50 * GIB,
    consistency: 'powered-off',
    captureInfo: null,
    createdAt: '2026-03-02T08:30:00.000Z',
    completedAt: '2026-03-02T08:31:12.000Z',
    durationSeconds: 72.4,
    downtimeSeconds: 0.431,
    monthlyCost: { amount: '2.00', currency: 'USD' },
    storedBytes: null,
    exclusiveBytes: null,
    costToDate: { amount: '0.52', currency: 'USD' },
    progress: aProgress(),
    error: null,
    labels: {},
    protected: false,
    purgeAt: null,
    policyId: null,
    verifyState: 'unverified',
    verifiedAt: null,
    copiedFrom: null,
    ...overrides,
  };
}

/** A copy of the default snapshot (fra1) being made in New York 1, as `snp_copy`. */
export function aCopyingSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return aSnapshot({
    id: 'snp_copy',
    region: 'nyc1',
    status: 'copying',
    copiedFrom: { snapshotId: aSnapshot().id, region: 'fra1' },
    ...overrides,
  });
}

export function anOperation(overrides: Partial<Operation> = {}): Operation {
  return {
    id: 'op_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    type: 'slice.restore',
    status: 'running',
    resourceType: 'slice',
    resourceId: 'slc_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    startedAt: '2026-03-02T09:00:00.000Z',
    finishedAt: null,
    elapsedSeconds: 3.2,
    progress: aProgress({ percent: 10, bytesDone: 4 * GIB, elapsedSeconds: 3.2, etaSeconds: 30 }),
    error: null,
    ...overrides,
  };
}

export function aPolicy(overrides: Partial<SnapshotPolicy> = {}): SnapshotPolicy {
  return {
    id: 'pol_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    name: 'prod hourly',
    enabled: true,
    schedule: { every: '1h' },
    target: { sliceIds: ['slc_01JD3QY8W7T2B6G0ZC4M9X5K1E'] },
    retain: { last: 3, daily: 7, weekly: 4 },
    powerOff: false,
    labels: { tier: 'gold' },
    onSliceDeleted: 'keep',
    nextRunAt: '2026-03-10T13:00:00.000Z',
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function aPolicyRun(overrides: Partial<PolicyRun> = {}): PolicyRun {
  return {
    id: 'run_01JD3QY8W7T2B6G0ZC4M9X5K1E',
    status: 'finished',
    trigger: 'schedule',
    startedAt: '2026-03-10T12:00:00.000Z',
    finishedAt: '2026-03-10T12:01:30.000Z',
    taken: [{ sliceId: 'slc_01JD3QY8W7T2B6G0ZC4M9X5K1E', snapshotId: 'snp_1' }],
    skipped: [],
    pruned: [],
    failed: [],
    error: null,
    ...overrides,
  };
}

const usd = (amount: string) => ({ amount, currency: 'USD' as const });

/**
 * A two-day window of a daily policy on web-1: one snapshot kept by `last` and one pruned now;
 * at the end, the two runs' snapshots kept and the older existing one pruned on the first day.
 */
export function aSimulation(overrides: Partial<PolicySimulation> = {}): PolicySimulation {
  return {
    policyId: null,
    window: { from: '2026-03-10T12:00:00.000Z', to: '2026-03-12T12:00:00.000Z' },
    runs: ['2026-03-11T02:30:00.000Z', '2026-03-12T02:30:00.000Z'],
    monthlyCost: { now: usd('4.00'), endOfWindow: usd('6.00') },
    slices: [
      {
        sliceId: 'slc_01JD3QY8W7T2B6G0ZC4M9X5K1E',
        sliceName: 'web-1',
        status: 'active',
        now: {
          monthlyCost: usd('4.00'),
          snapshots: [
            {
              snapshotId: 'snp_new',
              createdAt: '2026-03-10T02:30:00.000Z',
              sizeBytes: 40 * GIB,
              decision: 'keep',
              rule: 'last',
            },
            {
              snapshotId: 'snp_old',
              createdAt: '2026-03-09T02:30:00.000Z',
              sizeBytes: 40 * GIB,
              decision: 'prune',
            },
          ],
        },
        endOfWindow: {
          monthlyCost: usd('6.00'),
          taken: 2,
          pruned: 1,
          prunedExisting: [{ snapshotId: 'snp_old', prunedAt: '2026-03-11T02:30:00.000Z' }],
          snapshots: [
            {
              snapshotId: null,
              createdAt: '2026-03-12T02:30:00.000Z',
              sizeBytes: 40 * GIB,
              decision: 'keep',
              rule: 'last',
            },
            {
              snapshotId: null,
              createdAt: '2026-03-11T02:30:00.000Z',
              sizeBytes: 40 * GIB,
              decision: 'keep',
              rule: 'daily',
            },
            {
              snapshotId: 'snp_new',
              createdAt: '2026-03-10T02:30:00.000Z',
              sizeBytes: 40 * GIB,
              decision: 'keep',
              rule: 'daily',
            },
          ],
        },
      },
    ],
    ...overrides,
  };
}
