import { describe, expect, it } from 'vitest';
import {
  IllegalOperationTransitionError,
  OperationNotFoundError,
} from '../../../../core/operations/operation-errors.ts';
import { UnknownRegionError } from '../../../../core/regions/region-errors.ts';
import { DomainError, InvalidInputError } from '../../../../core/shared/domain-error.ts';
import {
  ConcurrentModificationError,
  InvalidCursorError,
  RecordAlreadyExistsError,
} from '../../../../core/shared/persistence-errors.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceLockNotHeldError,
  SliceNotFoundError,
} from '../../../../core/slices/slice-errors.ts';
import {
  DiskTooSmallError,
  IllegalSnapshotTransitionError,
  SnapshotBeingDeletedError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotRegionMismatchError,
} from '../../../../core/snapshots/snapshot-errors.ts';

const ERRORS: readonly [DomainError, string, DomainError['kind']][] = [
  [new InvalidInputError([{ path: 'name', message: 'bad' }]), 'REQUEST.INVALID_INPUT', 'invalid'],
  [new UnknownRegionError('mars', ['fra1']), 'REGION.UNKNOWN', 'invalid'],
  [new InvalidCursorError(), 'REQUEST.INVALID_CURSOR', 'invalid'],
  [
    new ConcurrentModificationError('slice', 'slc_1', 'active'),
    'STATE.CONCURRENT_MODIFICATION',
    'conflict',
  ],
  [new RecordAlreadyExistsError('slice', 'slc_1'), 'STATE.ALREADY_EXISTS', 'conflict'],
  [new SliceNotFoundError('slc_1'), 'SLICE.NOT_FOUND', 'not-found'],
  [
    new IllegalSliceTransitionError('slc_1', 'building', 'busy'),
    'SLICE.ILLEGAL_TRANSITION',
    'conflict',
  ],
  [
    new SliceBusyError('slc_1', { operationId: 'op_1', operationType: 'slice.power', power: 'on' }),
    'SLICE.BUSY',
    'conflict',
  ],
  [new SliceLockNotHeldError('slc_1', 'op_1', null), 'SLICE.LOCK_NOT_HELD', 'conflict'],
  [new SnapshotNotFoundError('snp_1'), 'SNAPSHOT.NOT_FOUND', 'not-found'],
  [
    new IllegalSnapshotTransitionError('snp_1', 'failed', 'available'),
    'SNAPSHOT.ILLEGAL_TRANSITION',
    'conflict',
  ],
  [new SnapshotNotAvailableError('snp_1', 'uploading'), 'SNAPSHOT.NOT_AVAILABLE', 'conflict'],
  [new SnapshotBeingDeletedError('snp_1'), 'SNAPSHOT.BEING_DELETED', 'conflict'],
  [
    new SnapshotRegionMismatchError('snp_1', 'fra1', 'nyc1'),
    'SNAPSHOT.REGION_MISMATCH',
    'unprocessable',
  ],
  [new DiskTooSmallError('snp_1', 10, 5), 'SNAPSHOT.DISK_TOO_SMALL', 'unprocessable'],
  [new OperationNotFoundError('op_1'), 'OPERATION.NOT_FOUND', 'not-found'],
  [
    new IllegalOperationTransitionError('op_1', 'failed', 'succeeded'),
    'OPERATION.ILLEGAL_TRANSITION',
    'conflict',
  ],
];

describe('domain errors', () => {
  for (const [error, code, kind] of ERRORS) {
    it(`${error.constructor.name} is named after its class, with code ${code} and kind ${kind}`, () => {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toBe(code);
      expect(error.kind).toBe(kind);
      expect(error.message.length).toBeGreaterThan(0);
    });
  }

  it('names the operation in the way of a busy slice', () => {
    const error = new SliceBusyError('slc_1', {
      operationId: 'op_7',
      operationType: 'snapshot.create',
      power: 'on',
    });

    expect(error.message).toContain('op_7');
    expect(error.holder.operationId).toBe('op_7');
  });

  it('names every bad field of invalid input', () => {
    const error = new InvalidInputError([
      { path: 'name', message: 'must not be empty' },
      { path: 'diskGB', message: 'must be a whole number' },
    ]);

    expect(error.issues.map((issue) => issue.path)).toEqual(['name', 'diskGB']);
    expect(error.message).toBe('name: must not be empty; diskGB: must be a whole number');
  });
});
