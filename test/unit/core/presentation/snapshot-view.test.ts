import { describe, expect, it } from 'vitest';
import { viewSnapshot } from '../../../../core/presentation/snapshot-view.ts';
import { BYTES_PER_GIB } from '../../../../core/shared/sizes.ts';
import {
  markAvailable,
  markCaptured,
  markSnapshotFailed,
  markSnapshotRecycled,
  newSnapshot,
  type Snapshot,
  startCapture,
  startSnapshotDeletion,
} from '../../../../core/snapshots/snapshot.ts';
import { NOT_ACCOUNTED } from '../../../../core/storage/account-storage.ts';
import { expectContractFieldsOnly } from './view-fields.ts';

const T0 = '2025-03-01T10:00:00.000Z';
const GIB = BYTES_PER_GIB;

function aSnapshot(usedBytes = 40 * GIB): Snapshot {
  return newSnapshot({
    id: 'snp_01JNZ5Y1Q0000000000000000A',
    accountId: 'acct-secret',
    name: 'nightly',
    slice: { id: 'slc_1', name: 'web-1', region: 'fra1', diskBytes: 100 * GIB, usedBytes },
    powerOff: true,
    now: T0,
  });
}

function anAvailableSnapshot(sizeBytes = 40 * GIB): Snapshot {
  const capturing = startCapture(aSnapshot(), '2025-03-01T10:00:02.000Z');
  const uploading = markCaptured(
    capturing,
    { consistency: 'powered-off', poweredOffAt: '2025-03-01T10:00:05.000Z' },
    '2025-03-01T10:00:35.000Z',
  );
  return markAvailable(uploading, { sizeBytes, manifestKey: 'm' }, '2025-03-01T10:20:00.000Z');
}

describe('viewSnapshot', () => {
  it('shows what the snapshot holds in the store and has cost this month', () => {
    const view = viewSnapshot(anAvailableSnapshot(), new Date('2025-03-02T00:00:00.000Z'), {
      storage: { storedBytes: 3_000, exclusiveBytes: 1_000 },
      costToDateCents: 123n,
    });

    expect(view).toMatchObject({
      storedBytes: 3_000,
      exclusiveBytes: 1_000,
      costToDate: { amount: '1.23', currency: 'USD' },
    });
  });

  it('shows null stored and exclusive bytes until a mark pass counted the snapshot', () => {
    const view = viewSnapshot(anAvailableSnapshot(), new Date(T0), NOT_ACCOUNTED);

    expect(view).toMatchObject({ storedBytes: null, exclusiveBytes: null });
    expect(view.costToDate.amount).toBe('0.00');
  });

  it('shows exactly the fields of the contract, never the account', () => {
    const view = viewSnapshot(
      anAvailableSnapshot(),
      new Date('2025-03-02T00:00:00.000Z'),
      NOT_ACCOUNTED,
    );

    expectContractFieldsOnly(
      view,
      [
        'id',
        'copiedFrom',
        'name',
        'region',
        'status',
        'sliceId',
        'sliceName',
        'sizeBytes',
        'sizeGB',
        'diskBytes',
        'consistency',
        'captureInfo',
        'createdAt',
        'completedAt',
        'durationSeconds',
        'downtimeSeconds',
        'purgeAt',
        'monthlyCost',
        'storedBytes',
        'exclusiveBytes',
        'costToDate',
        'progress',
        'error',
        'labels',
        'protected',
        'policyId',
        'verifyState',
        'verifiedAt',
      ],
      'acct-secret',
    );
  });

  it('shows an available 40 GiB snapshot with its duration, downtime and a 2.00 month', () => {
    const view = viewSnapshot(
      anAvailableSnapshot(),
      new Date('2025-03-02T00:00:00.000Z'),
      NOT_ACCOUNTED,
    );

    expect(view).toMatchObject({
      status: 'available',
      sizeBytes: 40 * GIB,
      sizeGB: 40,
      diskBytes: 100 * GIB,
      consistency: 'powered-off',
      completedAt: '2025-03-01T10:20:00.000Z',
      durationSeconds: 1200,
      downtimeSeconds: 30,
      monthlyCost: { amount: '2.00', currency: 'USD' },
      progress: { percent: 100, etaSeconds: 0, elapsedSeconds: 1200 },
      error: null,
    });
  });

  it('shows sizes in GiB with two decimals', () => {
    const view = viewSnapshot(
      anAvailableSnapshot(Math.round(1.5 * GIB) + 7),
      new Date(T0),
      NOT_ACCOUNTED,
    );

    expect(view.sizeGB).toBe(1.5);
    expect(viewSnapshot(anAvailableSnapshot(5_368_710), new Date(T0), NOT_ACCOUNTED).sizeGB).toBe(
      0.01,
    );
  });

  it('shows a pending snapshot with no completion and a pessimistic ETA from used bytes', () => {
    const view = viewSnapshot(
      aSnapshot(2 * GIB),
      new Date('2025-03-01T10:00:10.000Z'),
      NOT_ACCOUNTED,
    );

    expect(view).toMatchObject({
      status: 'pending',
      completedAt: null,
      durationSeconds: null,
      downtimeSeconds: null,
      consistency: null,
      progress: {
        percent: 0,
        bytesDone: 0,
        bytesTotal: 2 * GIB,
        elapsedSeconds: 10,
        etaSeconds: 55,
      },
    });
  });

  it('costs nothing once failed or being deleted', () => {
    const failed = markSnapshotFailed(
      aSnapshot(),
      { code: 'AGENT_UNREACHABLE', message: 'gone' },
      T0,
    );
    const deleting = startSnapshotDeletion(anAvailableSnapshot(), '2025-03-05T00:00:00.000Z');

    const failedView = viewSnapshot(failed, new Date(T0), NOT_ACCOUNTED);
    const deletingView = viewSnapshot(deleting, new Date(T0), NOT_ACCOUNTED);

    expect(failedView.monthlyCost.amount).toBe('0.00');
    expect(failedView.error).toEqual({ code: 'AGENT_UNREACHABLE', message: 'gone' });
    expect(failedView.progress.etaSeconds).toBeNull();
    expect(deletingView.monthlyCost.amount).toBe('0.00');
  });

  it('shows a recycled snapshot done, costing nothing, with its purge time', () => {
    const recycled = markSnapshotRecycled(anAvailableSnapshot(), {
      now: '2025-03-05T00:00:00.000Z',
      purgeAt: '2025-03-12T00:00:00.000Z',
      operationId: 'op_1',
    });

    const view = viewSnapshot(recycled, new Date('2025-03-06T00:00:00.000Z'), NOT_ACCOUNTED);

    expect(view).toMatchObject({
      status: 'recycled',
      purgeAt: '2025-03-12T00:00:00.000Z',
      monthlyCost: { amount: '0.00', currency: 'USD' },
      progress: { percent: 100, etaSeconds: 0 },
    });
    expect(viewSnapshot(anAvailableSnapshot(), new Date(T0), NOT_ACCOUNTED).purgeAt).toBeNull();
  });
});
