import { describe, expect, it } from 'vitest';
import {
  addSnapshotReader,
  assertSnapshotDeletable,
  editSnapshot,
  markAvailable,
  markCaptured,
  markSnapshotDeleted,
  markSnapshotFailed,
  markSnapshotRecovered,
  markSnapshotRecycled,
  recordUploadProgress,
  removeSnapshotReader,
  resumeSnapshotDeletion,
  type Snapshot,
  type SnapshotReader,
  startCapture,
  startSnapshotDeletion,
} from '../../../../core/snapshots/snapshot.ts';
import {
  IllegalSnapshotTransitionError,
  SnapshotAlreadyRecycledError,
  SnapshotBeingDeletedError,
  SnapshotInUseError,
  SnapshotNotAvailableError,
  SnapshotNotRecycledError,
  SnapshotProtectedError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import type { SnapshotStatus } from '../../../../core/snapshots/snapshot-status.ts';
import { aSnapshot, takingSteps } from '../../../support/records.ts';
import { itMovesOrRefuses, type Transition } from '../support/transitions.ts';

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T10:01:00.000Z';
const T2 = '2025-03-08T10:01:00.000Z';
const STATUSES: readonly SnapshotStatus[] = [
  'pending',
  'capturing',
  'uploading',
  'available',
  'recycled',
  'failed',
  'deleting',
  'deleted',
];

function aPendingSnapshot(): Snapshot {
  return aSnapshot({
    id: 'snp_01JNZ5Y1Q0000000000000000A',
    sliceId: 'slc_1',
    diskBytes: 1000,
    sizeBytes: 600,
  });
}

function snapshotIn(status: SnapshotStatus): Snapshot {
  return { ...aPendingSnapshot(), status };
}

const TRANSITIONS: readonly Transition<Snapshot, SnapshotStatus>[] = [
  { name: 'startCapture', to: 'capturing', from: ['pending'], apply: (s) => startCapture(s, T1) },
  {
    name: 'markCaptured',
    to: 'uploading',
    from: ['capturing'],
    apply: (s) => markCaptured(s, { consistency: 'powered-off', poweredOffAt: T0 }, T1),
  },
  {
    name: 'markAvailable',
    to: 'available',
    from: ['uploading'],
    apply: (s) => markAvailable(s, { sizeBytes: 500, manifestKey: 'k' }, T1),
  },
  {
    name: 'markSnapshotFailed',
    to: 'failed',
    from: ['pending', 'capturing', 'uploading'],
    apply: (s) => markSnapshotFailed(s, { code: 'AGENT_UNREACHABLE', message: 'gone' }, T1),
  },
  {
    name: 'startSnapshotDeletion',
    to: 'deleting',
    from: ['available', 'failed', 'recycled'],
    apply: (s) => startSnapshotDeletion(s, T1),
  },
  {
    name: 'markSnapshotRecycled',
    to: 'recycled',
    from: ['available'],
    apply: (s) => markSnapshotRecycled(s, { now: T1, purgeAt: T2, operationId: 'op_1' }),
  },
  {
    name: 'markSnapshotDeleted',
    to: 'deleted',
    from: ['deleting'],
    apply: (s) => markSnapshotDeleted(s, T1),
  },
];

describe('snapshot transitions', () => {
  itMovesOrRefuses({
    noun: 'snapshot',
    statuses: STATUSES,
    transitions: TRANSITIONS,
    recordIn: snapshotIn,
    at: T1,
    refusal: IllegalSnapshotTransitionError,
    // Recycling a recycled snapshot has an error of its own, tested with the recycle bin.
    skip: (transition, status) => transition.to === 'recycled' && status === 'recycled',
  });
});

describe('the recycle bin', () => {
  const recycled = () =>
    markSnapshotRecycled(snapshotIn('available'), { now: T1, purgeAt: T2, operationId: 'op_1' });

  it('stops billing when a snapshot goes in, and keeps when it is to be purged', () => {
    expect(recycled()).toMatchObject({
      status: 'recycled',
      deletedAt: T1,
      purgeAt: T2,
      deletionOperationId: 'op_1',
    });
  });

  it('refuses to recycle a recycled snapshot, saying how to purge it', () => {
    expect(() =>
      markSnapshotRecycled(recycled(), { now: T2, purgeAt: T2, operationId: 'op_2' }),
    ).toThrow(SnapshotAlreadyRecycledError);
  });

  it('recovers a recycled snapshot as it went in, billed again', () => {
    const recovered = markSnapshotRecovered(recycled(), T2);

    expect(recovered).toEqual({
      ...snapshotIn('available'),
      deletionOperationId: 'op_1',
      updatedAt: T2,
    });
  });

  it('recovers only a recycled snapshot', () => {
    for (const status of STATUSES.filter((each) => each !== 'recycled')) {
      expect(() => markSnapshotRecovered(snapshotIn(status), T2)).toThrow(SnapshotNotRecycledError);
    }
  });

  it('keeps the moment billing stopped when a recycled snapshot is deleted for good', () => {
    const deleting = startSnapshotDeletion(recycled(), T2, 'op_2');

    expect(deleting).toMatchObject({ status: 'deleting', deletedAt: T1, purgeAt: null });
  });

  it('lets a reader that was reading before the recycle go on, and refuses the purge meanwhile', () => {
    const reader: SnapshotReader = {
      operationId: 'op_restore',
      operationType: 'slice.restore',
      sliceId: 'slc_1',
      until: T2,
    };
    const read = addSnapshotReader(snapshotIn('available'), reader, T0);
    const inBin = markSnapshotRecycled(read, { now: T1, purgeAt: T2, operationId: 'op_1' });

    expect(() => startSnapshotDeletion(inBin, T1, 'op_2')).toThrow(SnapshotInUseError);
    expect(() => addSnapshotReader(inBin, { ...reader, operationId: 'op_2' }, T1)).toThrow(
      SnapshotNotAvailableError,
    );
  });
});

describe('snapshot lifecycle', () => {
  /** `capturing` captured at `capturedAt` with the slice powered off since `poweredOffAt`. */
  const capturedPoweredOff = (capturing: Snapshot, poweredOffAt: string, capturedAt: string) =>
    markCaptured(capturing, { consistency: 'powered-off', poweredOffAt }, capturedAt);

  it('records the capture point, downtime, size, manifest and billing times', () => {
    const pending = aPendingSnapshot();

    const { uploading, available } = takingSteps(
      pending,
      {
        startedAt: '2025-03-01T10:00:05.000Z',
        poweredOffAt: '2025-03-01T10:00:10.000Z',
        capturedAt: '2025-03-01T10:00:52.000Z',
        availableAt: '2025-03-01T10:03:00.000Z',
      },
      { sizeBytes: 550, manifestKey: 'acct-1/snapshots/snp/manifest.json' },
    );
    const deleting = startSnapshotDeletion(available, '2025-03-20T00:00:00.000Z');

    expect(uploading).toMatchObject({
      consistency: 'powered-off',
      capturedAt: '2025-03-01T10:00:52.000Z',
      downtimeSeconds: 42,
    });
    expect(available).toMatchObject({
      sizeBytes: 550,
      manifestKey: 'acct-1/snapshots/snp/manifest.json',
      completedAt: '2025-03-01T10:03:00.000Z',
      progress: { bytesDone: 550, bytesTotal: 550 },
    });
    expect(deleting.deletedAt).toBe('2025-03-20T00:00:00.000Z');
  });

  it('counts no downtime when the slice never went off', () => {
    const captured = markCaptured(
      snapshotIn('capturing'),
      { consistency: 'crash-consistent', poweredOffAt: null },
      T1,
    );

    expect(captured.downtimeSeconds).toBe(0);
  });

  it('reports a power-off shorter than a second to the millisecond, never as 0', () => {
    const capturing = snapshotIn('capturing');

    const brief = capturedPoweredOff(capturing, T0, '2025-03-01T10:00:00.431Z');
    const instant = capturedPoweredOff(capturing, T0, T0);

    expect(brief.downtimeSeconds).toBe(0.431);
    expect(instant.downtimeSeconds).toBe(0.001);
  });

  it('starts pending with the slice’s used bytes as the expected size', () => {
    const snapshot = aPendingSnapshot();

    expect(snapshot).toMatchObject({
      status: 'pending',
      sliceName: 'web-1',
      region: 'fra1',
      diskBytes: 1000,
      sizeBytes: 600,
      progress: { bytesDone: 0, bytesTotal: 600, startedAt: null },
      completedAt: null,
      consistency: null,
    });
  });

  it('records failure with its reason and no completion time', () => {
    const failed = markSnapshotFailed(
      snapshotIn('uploading'),
      { code: 'SNAPSHOT_FAILED', message: 'y' },
      T1,
    );

    expect(failed).toMatchObject({
      error: { code: 'SNAPSHOT_FAILED', message: 'y' },
      completedAt: null,
    });
  });
});

describe('recordUploadProgress', () => {
  it('records bytes while uploading', () => {
    const next = recordUploadProgress(snapshotIn('uploading'), 300, T1);

    expect(next.progress).toMatchObject({ bytesDone: 300, updatedAt: T1 });
  });

  for (const status of STATUSES.filter((each) => each !== 'uploading')) {
    it(`refuses progress on a ${status} snapshot`, () => {
      expect(() => recordUploadProgress(snapshotIn(status), 300, T1)).toThrow(
        IllegalSnapshotTransitionError,
      );
    });
  }
});

describe('editSnapshot', () => {
  for (const status of STATUSES) {
    if (status === 'deleting' || status === 'deleted') {
      it(`refuses to edit a ${status} snapshot`, () => {
        expect(() => editSnapshot(snapshotIn(status), { name: 'x' }, T1)).toThrow(
          SnapshotBeingDeletedError,
        );
        expect(() => editSnapshot(snapshotIn(status), { protected: true }, T1)).toThrow(
          SnapshotBeingDeletedError,
        );
      });
    } else {
      it(`renames, labels and protects a ${status} snapshot`, () => {
        expect(
          editSnapshot(
            snapshotIn(status),
            { name: 'x', labels: { env: 'prod' }, protected: true },
            T1,
          ),
        ).toMatchObject({
          name: 'x',
          labels: { env: 'prod' },
          protected: true,
          status,
          updatedAt: T1,
        });
      });
    }
  }

  it('keeps what the edit leaves out', () => {
    const labelled = { ...snapshotIn('available'), labels: { env: 'prod' }, protected: true };

    expect(editSnapshot(labelled, { name: 'renamed' }, T1)).toEqual({
      ...labelled,
      name: 'renamed',
      updatedAt: T1,
    });
  });
});

describe('snapshot protection', () => {
  const protectedSnapshot = (status: SnapshotStatus) => ({
    ...snapshotIn(status),
    protected: true,
  });

  it('starts unprotected and unlabelled unless labels are given', () => {
    expect(aPendingSnapshot()).toMatchObject({ protected: false, labels: {} });
  });

  it('refuses to start or resume the deletion of a protected snapshot', () => {
    expect(() => startSnapshotDeletion(protectedSnapshot('available'), T1)).toThrow(
      SnapshotProtectedError,
    );
    expect(() => startSnapshotDeletion(protectedSnapshot('failed'), T1)).toThrow(
      SnapshotProtectedError,
    );
    expect(() => resumeSnapshotDeletion(protectedSnapshot('deleting'), 'op_2', T1)).toThrow(
      SnapshotProtectedError,
    );
  });

  it('lets every deleting path ask the same guard', () => {
    expect(() => assertSnapshotDeletable(protectedSnapshot('available'))).toThrow(
      /protected: set "protected": false/,
    );
    expect(() => assertSnapshotDeletable(snapshotIn('available'))).not.toThrow();
  });

  it('deletes it once protection is off again', () => {
    const unprotected = editSnapshot(protectedSnapshot('available'), { protected: false }, T1);

    expect(startSnapshotDeletion(unprotected, T1).status).toBe('deleting');
  });
});

describe('snapshot readers', () => {
  const reader = (operationId: string, until = '2025-03-01T18:00:00.000Z'): SnapshotReader => ({
    operationId,
    operationType: 'slice.restore',
    sliceId: 'slc_2',
    until,
  });

  it('refuses deletion while a restore reads the image, naming it', () => {
    const read = addSnapshotReader(snapshotIn('available'), reader('op_restore'), T1);

    const attempt = () => startSnapshotDeletion(read, T1);

    expect(attempt).toThrow(SnapshotInUseError);
    expect(attempt).toThrow(/op_restore \(slice\.restore\)/);
  });

  it('deletes once the last reader is gone, or when its workflow can no longer run', () => {
    const read = addSnapshotReader(snapshotIn('available'), reader('op_a', T1), T0);

    const afterRemoval = startSnapshotDeletion(removeSnapshotReader(read, 'op_a', T1), T1);
    const afterExpiry = startSnapshotDeletion(read, '2025-03-01T10:02:00.000Z');

    expect(afterRemoval).toMatchObject({ status: 'deleting', readers: [] });
    expect(afterExpiry).toMatchObject({ status: 'deleting', readers: [] });
  });

  it('adds a reader once per operation and only to an available snapshot', () => {
    const once = addSnapshotReader(snapshotIn('available'), reader('op_a'), T1);

    const twice = addSnapshotReader(once, reader('op_a'), T1);

    expect(twice.readers).toEqual([reader('op_a')]);
    expect(() => addSnapshotReader(snapshotIn('uploading'), reader('op_b'), T1)).toThrow(
      SnapshotNotAvailableError,
    );
  });
});
