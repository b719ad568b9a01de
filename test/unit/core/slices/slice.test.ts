import { describe, expect, it } from 'vitest';
import {
  activateSlice,
  assertSliceDeletable,
  changeSlicePower,
  editSlice,
  failSliceBuild,
  lockSlice,
  markSliceDeleted,
  newSlice,
  type Slice,
  unlockSlice,
} from '../../../../core/slices/slice.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceDeleteProtectedError,
  SliceLockNotHeldError,
  SliceNotFoundError,
} from '../../../../core/slices/slice-errors.ts';
import type { SliceStatus } from '../../../../core/slices/slice-status.ts';
import { aBuildingSlice } from '../../../support/records.ts';
import { itMovesOrRefuses, type Transition } from '../support/transitions.ts';

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T11:00:00.000Z';
const HOLDER = 'op_01JNZ5Y1Q0000000000000000A';
const STATUSES: readonly SliceStatus[] = ['building', 'active', 'busy', 'error', 'deleted'];

function sliceIn(status: SliceStatus): Slice {
  const lock =
    status === 'busy'
      ? { operationId: HOLDER, operationType: 'snapshot.create' as const, power: 'on' as const }
      : null;
  return aBuildingSlice({
    id: 'slc_01JNZ5Y1Q0000000000000000S',
    diskBytes: 1024,
    status,
    power: 'on',
    lock,
  });
}

const TRANSITIONS: readonly Transition<Slice, SliceStatus>[] = [
  {
    name: 'activateSlice',
    to: 'active',
    from: ['building'],
    apply: (slice) => activateSlice(slice, { hostId: 'host-1', power: 'on' }, T1),
  },
  {
    name: 'failSliceBuild',
    to: 'error',
    from: ['building'],
    apply: (slice) => failSliceBuild(slice, { code: 'AGENT_UNREACHABLE', message: 'no agent' }, T1),
  },
  {
    name: 'markSliceDeleted',
    to: 'deleted',
    from: ['busy', 'error'],
    apply: (s) => markSliceDeleted(s, T1, HOLDER),
  },
];

describe('slice transitions', () => {
  itMovesOrRefuses({
    noun: 'slice',
    statuses: STATUSES,
    transitions: TRANSITIONS,
    recordIn: sliceIn,
    at: T1,
    refusal: IllegalSliceTransitionError,
  });

  it('records the host, the power state and the error where they belong', () => {
    const building = sliceIn('building');

    const active = activateSlice(building, { hostId: 'host-9', power: 'off', usedBytes: 5 }, T1);
    const failed = failSliceBuild(building, { code: 'SLICE_BUILD_FAILED', message: 'y' }, T1);
    const deleted = markSliceDeleted(sliceIn('busy'), T1, HOLDER);

    expect(active).toMatchObject({ hostId: 'host-9', power: 'off', usedBytes: 5 });
    expect(failed).toMatchObject({
      power: 'off',
      error: { code: 'SLICE_BUILD_FAILED', message: 'y' },
    });
    expect(deleted).toMatchObject({ power: 'off', deletedAt: T1, lock: null });
  });

  it('deletes a busy slice only for the operation holding its lock', () => {
    const attempt = () => markSliceDeleted(sliceIn('busy'), T1, 'op_01JNZ5Y1Q0000000000000000X');

    expect(attempt).toThrow(SliceLockNotHeldError);
  });
});

describe('lockSlice', () => {
  const operation = {
    operationId: 'op_01JNZ5Y1Q0000000000000000B',
    operationType: 'slice.power' as const,
  };

  it('makes an active slice busy and records the holder and the power state', () => {
    const slice = { ...sliceIn('active'), power: 'off' as const };

    const locked = lockSlice(slice, operation, T1);

    expect(locked.status).toBe('busy');
    expect(locked.lock).toEqual({ ...operation, power: 'off' });
  });

  it('refuses another operation with SliceBusyError naming the holder', () => {
    const busy = sliceIn('busy');

    const attempt = () => lockSlice(busy, operation, T1);

    expect(attempt).toThrow(SliceBusyError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'SLICE_BUSY' }));
    expect(attempt).toThrow(HOLDER);
  });

  it('returns the same slice when its holder locks it again', () => {
    const busy = sliceIn('busy');

    const again = lockSlice(busy, { operationId: HOLDER, operationType: 'snapshot.create' }, T1);

    expect(again).toBe(busy);
  });

  for (const status of ['building', 'error', 'deleted'] as const) {
    it(`refuses a ${status} slice`, () => {
      expect(() => lockSlice(sliceIn(status), operation, T1)).toThrow(IllegalSliceTransitionError);
    });
  }
});

describe('unlockSlice', () => {
  it('makes a busy slice active for its holder and clears the lock', () => {
    const unlocked = unlockSlice(sliceIn('busy'), HOLDER, T1);

    expect(unlocked).toMatchObject({ status: 'active', lock: null, updatedAt: T1 });
  });

  for (const status of STATUSES) {
    it(`refuses an operation that does not hold a ${status} slice`, () => {
      const attempt = () => unlockSlice(sliceIn(status), 'op_01JNZ5Y1Q0000000000000000C', T1);

      expect(attempt).toThrow(SliceLockNotHeldError);
    });
  }
});

describe('changeSlicePower', () => {
  it('records a power change made under the lock', () => {
    const changed = changeSlicePower(sliceIn('busy'), HOLDER, 'off', T1);

    expect(changed).toMatchObject({ power: 'off', status: 'busy', updatedAt: T1 });
  });

  it('refuses a change by an operation that does not hold the slice', () => {
    expect(() => changeSlicePower(sliceIn('busy'), 'op_x', 'off', T1)).toThrow(
      SliceLockNotHeldError,
    );
    expect(() => changeSlicePower(sliceIn('active'), HOLDER, 'off', T1)).toThrow(
      SliceLockNotHeldError,
    );
  });
});

describe('newSlice', () => {
  const REQUEST = {
    id: 'slc_1',
    accountId: 'acct-1',
    name: 'db',
    region: 'nyc1',
    diskBytes: 10,
    now: T0,
  };

  it('starts building, powered off, unplaced and unlocked', () => {
    const slice = newSlice(REQUEST);

    expect(slice).toMatchObject({
      status: 'building',
      power: 'off',
      hostId: null,
      lock: null,
      usedBytes: 0,
      fromSnapshotId: null,
      labels: {},
      deleteProtected: false,
      createdAt: T0,
    });
  });

  it('carries the labels it is given', () => {
    const slice = newSlice({ ...REQUEST, labels: { env: 'prod' } });

    expect(slice.labels).toEqual({ env: 'prod' });
  });
});

describe('slice delete protection', () => {
  const DELETION = { operationId: 'op_delete', operationType: 'slice.delete' as const };
  const guarded = (status: SliceStatus): Slice => ({ ...sliceIn(status), deleteProtected: true });

  it('keeps a deletion from taking the lock of a protected slice', () => {
    expect(() => lockSlice(guarded('active'), DELETION, T1)).toThrow(SliceDeleteProtectedError);
    expect(() => assertSliceDeletable(guarded('active'))).toThrow(/set "deleteProtected": false/);
  });

  it('lets every other operation lock a protected slice', () => {
    const locked = lockSlice(
      guarded('active'),
      { operationId: 'op_snap', operationType: 'snapshot.create' },
      T1,
    );

    expect(locked.status).toBe('busy');
  });

  it('refuses to delete a protected slice whose build failed', () => {
    expect(() => markSliceDeleted(guarded('error'), T1)).toThrow(SliceDeleteProtectedError);
  });

  it('refuses to turn protection on while a deletion holds the slice, naming it', () => {
    const deleting = lockSlice(sliceIn('active'), DELETION, T0);

    expect(() => editSlice(deleting, { deleteProtected: true }, T1)).toThrow(SliceBusyError);
    expect(editSlice(deleting, { name: 'renamed', deleteProtected: false }, T1)).toMatchObject({
      name: 'renamed',
      status: 'busy',
    });
  });

  it('edits name, labels and protection in any status but deleted, keeping the rest', () => {
    for (const status of STATUSES.filter((each) => each !== 'deleted')) {
      const edited = editSlice(
        sliceIn(status),
        { labels: { env: 'prod' }, deleteProtected: true },
        T1,
      );

      expect(edited).toEqual({
        ...sliceIn(status),
        labels: { env: 'prod' },
        deleteProtected: true,
        updatedAt: T1,
      });
    }
    expect(() => editSlice(sliceIn('deleted'), { name: 'x' }, T1)).toThrow(SliceNotFoundError);
  });
});
