import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentFailure } from '../../../../agent/errors.ts';
import { AgentRefusedError, AgentUnreachableError } from '../../../../core/agents/agent-errors.ts';
import {
  BillingRunIncompleteError,
  FutureBillingMonthError,
} from '../../../../core/billing/billing-errors.ts';
import {
  NoHostAvailableError,
  SliceNotPlacedError,
  UnknownHostError,
} from '../../../../core/hosts/host-errors.ts';
import {
  IllegalOperationTransitionError,
  OperationNotFoundError,
} from '../../../../core/operations/operation-errors.ts';
import { AccountRateLimitedError } from '../../../../core/rate-limits/rate-limit-errors.ts';
import { UnknownRegionError } from '../../../../core/regions/region-errors.ts';
import { DomainError, InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { ERROR_STATUS, type ErrorCode } from '../../../../core/shared/error-codes.ts';
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
  SourceSliceGoneError,
} from '../../../../core/slices/slice-errors.ts';
import {
  ChunkCleanupInProgressError,
  ImageIncompleteError,
  ImageManifestCorruptError,
  UploadsInFlightError,
} from '../../../../core/snapshots/image-errors.ts';
import {
  DiskTooSmallError,
  IllegalSnapshotTransitionError,
  SnapshotBeingDeletedError,
  SnapshotInUseError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotRegionMismatchError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { WorkflowTaskGoneError } from '../../../../core/workflows/workflow-task-errors.ts';

/** One of every error class, with the name the state machines see and the code clients see. */
const ERRORS: readonly [DomainError, string, ErrorCode][] = [
  [
    new InvalidInputError([{ path: 'name', message: 'bad' }]),
    'InvalidInputError',
    'VALIDATION_FAILED',
  ],
  [new UnknownRegionError('mars', ['fra1']), 'UnknownRegionError', 'UNKNOWN_REGION'],
  [
    new FutureBillingMonthError('2031-01', '2030-12'),
    'FutureBillingMonthError',
    'BILLING_MONTH_NOT_BEGUN',
  ],
  [new InvalidCursorError(), 'InvalidCursorError', 'INVALID_CURSOR'],
  [
    new ConcurrentModificationError('slice', 'slc_1', 'active'),
    'ConcurrentModificationError',
    'CONCURRENT_MODIFICATION',
  ],
  [
    new RecordAlreadyExistsError('slice', 'slc_1'),
    'RecordAlreadyExistsError',
    'RECORD_ALREADY_EXISTS',
  ],
  [new SliceNotFoundError('slc_1'), 'SliceNotFoundError', 'SLICE_NOT_FOUND'],
  [
    new IllegalSliceTransitionError('slc_1', 'building', 'busy'),
    'IllegalSliceTransitionError',
    'ILLEGAL_TRANSITION',
  ],
  [
    new SliceBusyError('slc_1', { operationId: 'op_1', operationType: 'slice.power', power: 'on' }),
    'SliceBusyError',
    'SLICE_BUSY',
  ],
  [
    new SliceLockNotHeldError('slc_1', 'op_1', null),
    'SliceLockNotHeldError',
    'SLICE_LOCK_NOT_HELD',
  ],
  [new SourceSliceGoneError('snp_1', 'slc_1'), 'SourceSliceGoneError', 'SOURCE_SLICE_DELETED'],
  [new SliceNotPlacedError('slc_1'), 'SliceNotPlacedError', 'SLICE_NOT_PLACED'],
  [new NoHostAvailableError('fra1'), 'NoHostAvailableError', 'NO_HOST_AVAILABLE'],
  [new UnknownHostError('host-1'), 'UnknownHostError', 'UNKNOWN_HOST'],
  [new SnapshotNotFoundError('snp_1'), 'SnapshotNotFoundError', 'SNAPSHOT_NOT_FOUND'],
  [
    new IllegalSnapshotTransitionError('snp_1', 'failed', 'available'),
    'IllegalSnapshotTransitionError',
    'ILLEGAL_TRANSITION',
  ],
  [
    new SnapshotNotAvailableError('snp_1', 'uploading'),
    'SnapshotNotAvailableError',
    'SNAPSHOT_NOT_AVAILABLE',
  ],
  [new SnapshotBeingDeletedError('snp_1'), 'SnapshotBeingDeletedError', 'SNAPSHOT_BEING_DELETED'],
  [
    new SnapshotRegionMismatchError('snp_1', 'fra1', 'nyc1'),
    'SnapshotRegionMismatchError',
    'SNAPSHOT_REGION_MISMATCH',
  ],
  [new DiskTooSmallError('snp_1', 10, 5), 'DiskTooSmallError', 'DISK_TOO_SMALL'],
  [
    new SnapshotInUseError('snp_1', { operationId: 'op_1', operationType: 'slice.restore' }),
    'SnapshotInUseError',
    'SNAPSHOT_IN_USE',
  ],
  [new ImageIncompleteError('snp_1', 'no manifest'), 'ImageIncompleteError', 'IMAGE_INCOMPLETE'],
  [
    new ImageManifestCorruptError('snp_1', 'bad checksum'),
    'ImageManifestCorruptError',
    'IMAGE_CORRUPT',
  ],
  [new UploadsInFlightError('acct'), 'UploadsInFlightError', 'UPLOADS_IN_FLIGHT'],
  [
    new ChunkCleanupInProgressError('acct'),
    'ChunkCleanupInProgressError',
    'CHUNK_CLEANUP_IN_PROGRESS',
  ],
  [new OperationNotFoundError('op_1'), 'OperationNotFoundError', 'OPERATION_NOT_FOUND'],
  [
    new IllegalOperationTransitionError('op_1', 'failed', 'succeeded'),
    'IllegalOperationTransitionError',
    'ILLEGAL_TRANSITION',
  ],
  [new AccountRateLimitedError('acct', 2), 'AccountRateLimitedError', 'RATE_LIMITED'],
  [new WorkflowTaskGoneError('timed out'), 'WorkflowTaskGoneError', 'WORKFLOW_TASK_GONE'],
  [
    new BillingRunIncompleteError('2026-03', [{ accountId: 'acct', error: new Error('boom') }]),
    'BillingRunIncompleteError',
    'BILLING_RUN_INCOMPLETE',
  ],
  [new AgentUnreachableError('host-1', 'timeout'), 'AgentUnreachable', 'AGENT_UNREACHABLE'],
  [
    new AgentRefusedError('host-1', 'SlicePoweredOn', 200, 'the slice runs'),
    'SlicePoweredOn',
    'SLICE_POWERED_ON',
  ],
  [new AgentFailure('DiskExists', 'the disk exists'), 'DiskExists', 'DISK_EXISTS'],
];

type ErrorClass = abstract new (...args: never[]) => DomainError;

const ROOT = path.resolve(import.meta.dirname, '../../../..');

/** Every error class exported by the core and by the agent's error module. */
async function exportedErrorClasses(): Promise<ErrorClass[]> {
  const files = readdirSync(path.join(ROOT, 'core'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(ROOT, 'core', file));
  const modules = await Promise.all(
    [...files, path.join(ROOT, 'agent', 'errors.ts')].map(
      (file) => import(file) as Promise<Record<string, unknown>>,
    ),
  );
  return modules.flatMap((module) =>
    Object.values(module).filter(
      (value): value is ErrorClass =>
        typeof value === 'function' && value.prototype instanceof DomainError,
    ),
  );
}

describe('domain errors', () => {
  it.each(ERRORS.map(([error, name, code]) => ({ error, name, code })))(
    '$name carries the code $code from the table',
    ({ error, name, code }) => {
      expect(error).toBeInstanceOf(DomainError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(ERROR_STATUS[error.code]).toBeGreaterThanOrEqual(400);
      expect(error.message.length).toBeGreaterThan(0);
    },
  );

  it('lists one of every exported error class above', async () => {
    const classes = await exportedErrorClasses();
    const listed = new Set(ERRORS.map(([error]) => error.constructor));

    const unlisted = classes.filter((each) => !listed.has(each)).map((each) => each.name);

    expect(classes.length).toBeGreaterThanOrEqual(ERRORS.length);
    expect(unlisted).toEqual([]);
  });

  it('names the operation in the way of a busy slice', () => {
    const error = new SliceBusyError('slc_1', {
      operationId: 'op_7',
      operationType: 'snapshot.create',
      power: 'on',
    });

    expect(error.message).toContain('op_7');
    expect(error.holder.operationId).toBe('op_7');
    expect(error.inTheWay).toEqual({ operationId: 'op_7', operationType: 'snapshot.create' });
  });

  it('names the operation reading a snapshot that is in use', () => {
    const error = new SnapshotInUseError('snp_1', {
      operationId: 'op_8',
      operationType: 'slice.create',
    });

    expect(error.inTheWay).toEqual({ operationId: 'op_8', operationType: 'slice.create' });
  });

  it('names no operation for a conflict that has none', () => {
    const error = new IllegalSliceTransitionError('slc_1', 'deleted', 'busy');

    expect(error.inTheWay).toBeUndefined();
  });

  it('names every bad field of invalid input', () => {
    const error = new InvalidInputError([
      { path: 'name', message: 'must not be empty' },
      { path: 'diskGB', message: 'must be a whole number' },
    ]);

    expect(error.issues.map((issue) => issue.path)).toEqual(['name', 'diskGB']);
    expect(error.message).toBe('name: must not be empty; diskGB: must be a whole number');
  });

  it('gives a refused agent command the code of the name the agent answered', () => {
    const refused = new AgentRefusedError('host-1', 'SliceBusy', 409, 'busy with cmd-1');

    expect(refused.name).toBe('SliceBusy');
    expect(refused.code).toBe('SLICE_BUSY');
    expect(refused.status).toBe(409);
  });
});
