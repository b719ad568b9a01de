import type { Operation, Slice, Snapshot } from '../../../console/src/api/client.ts';

const GIB = 1024 ** 3;

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
    progress: {
      percent: 100,
      bytesDone: 40 * GIB,
      bytesTotal: 40 * GIB,
      elapsedSeconds: 72.4,
      etaSeconds: 0,
      stalledSeconds: 0,
    },
    error: null,
    labels: {},
    protected: false,
    purgeAt: null,
    policyId: null,
    verifyState: 'unverified',
    verifiedAt: null,
    ...overrides,
  };
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
    progress: {
      percent: 10,
      bytesDone: 4 * GIB,
      bytesTotal: 40 * GIB,
      elapsedSeconds: 3.2,
      etaSeconds: 30,
      stalledSeconds: 0,
    },
    error: null,
    ...overrides,
  };
}
