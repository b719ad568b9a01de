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
import { InvalidLabelSelectorError } from '../../../../core/labels/label-errors.ts';
import {
  IllegalOperationTransitionError,
  OperationNotFoundError,
  OperationNotUndoableError,
  UndoExpiredError,
  UndoNotAvailableError,
} from '../../../../core/operations/operation-errors.ts';
import { PolicyNotFoundError } from '../../../../core/policies/policy-errors.ts';
import {
  PolicyRunInProgressError,
  PolicySliceBusyError,
} from '../../../../core/policies/policy-run.ts';
import { AccountRateLimitedError } from '../../../../core/rate-limits/rate-limit-errors.ts';
import { UnknownRegionError } from '../../../../core/regions/region-errors.ts';
import type { DomainError } from '../../../../core/shared/domain-error.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import type { ErrorCode } from '../../../../core/shared/error-codes.ts';
import {
  ConcurrentModificationError,
  InvalidCursorError,
  RecordAlreadyExistsError,
} from '../../../../core/shared/persistence-errors.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceDeleteProtectedError,
  SliceLockNotHeldError,
  SliceNotFoundError,
  SourceSliceGoneError,
} from '../../../../core/slices/slice-errors.ts';
import {
  ImageIncompleteError,
  ImageManifestCorruptError,
} from '../../../../core/snapshots/image-errors.ts';
import {
  DiskTooSmallError,
  IllegalSnapshotTransitionError,
  SnapshotAlreadyInRegionError,
  SnapshotAlreadyRecycledError,
  SnapshotBeingDeletedError,
  SnapshotCorruptError,
  SnapshotInUseError,
  SnapshotNotAvailableError,
  SnapshotNotFoundError,
  SnapshotNotRecycledError,
  SnapshotProtectedError,
  SnapshotRegionMismatchError,
} from '../../../../core/snapshots/snapshot-errors.ts';
import { MarkTallyMissingError } from '../../../../core/storage/storage-errors.ts';
import { WorkflowTaskGoneError } from '../../../../core/workflows/workflow-task-errors.ts';

/** One of every error class, with the name the state machines see and the code clients see. */
export const EVERY_ERROR: readonly [DomainError, string, ErrorCode][] = [
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
    new InvalidLabelSelectorError(3, 'at position 3: expected a label key'),
    'InvalidLabelSelectorError',
    'INVALID_LABEL_SELECTOR',
  ],
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
  [new SliceDeleteProtectedError('slc_1'), 'SliceDeleteProtectedError', 'SLICE_DELETE_PROTECTED'],
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
  [new SnapshotCorruptError('snp_1'), 'SnapshotCorruptError', 'SNAPSHOT_CORRUPT'],
  [new SnapshotProtectedError('snp_1'), 'SnapshotProtectedError', 'SNAPSHOT_PROTECTED'],
  [
    new SnapshotRegionMismatchError('snp_1', 'fra1', 'nyc1'),
    'SnapshotRegionMismatchError',
    'SNAPSHOT_REGION_MISMATCH',
  ],
  [
    new SnapshotAlreadyInRegionError('snp_1', 'fra1'),
    'SnapshotAlreadyInRegionError',
    'SNAPSHOT_ALREADY_IN_REGION',
  ],
  [new DiskTooSmallError('snp_1', 10, 5), 'DiskTooSmallError', 'DISK_TOO_SMALL'],
  [
    new SnapshotInUseError('snp_1', { operationId: 'op_1', operationType: 'slice.restore' }),
    'SnapshotInUseError',
    'SNAPSHOT_IN_USE',
  ],
  [
    new SnapshotNotRecycledError('snp_1', 'available'),
    'SnapshotNotRecycledError',
    'SNAPSHOT_NOT_RECYCLED',
  ],
  [
    new SnapshotAlreadyRecycledError('snp_1'),
    'SnapshotAlreadyRecycledError',
    'SNAPSHOT_ALREADY_RECYCLED',
  ],
  [new ImageIncompleteError('snp_1', 'no manifest'), 'ImageIncompleteError', 'IMAGE_INCOMPLETE'],
  [
    new ImageManifestCorruptError('snp_1', 'bad checksum'),
    'ImageManifestCorruptError',
    'IMAGE_CORRUPT',
  ],
  [new MarkTallyMissingError('acct', 'mrk_1'), 'MarkTallyMissingError', 'INTERNAL'],
  [new OperationNotFoundError('op_1'), 'OperationNotFoundError', 'OPERATION_NOT_FOUND'],
  [new PolicyNotFoundError('pol_1'), 'PolicyNotFoundError', 'POLICY_NOT_FOUND'],
  [
    new PolicyRunInProgressError('pol_1', 'run_1'),
    'PolicyRunInProgressError',
    'POLICY_RUN_IN_PROGRESS',
  ],
  [new PolicySliceBusyError('slc_1'), 'PolicySliceBusyError', 'SLICE_BUSY'],
  [
    new OperationNotUndoableError('op_1', 'slice.power', 'succeeded'),
    'OperationNotUndoableError',
    'OPERATION_NOT_UNDOABLE',
  ],
  [new UndoNotAvailableError('op_1', null), 'UndoNotAvailableError', 'UNDO_NOT_AVAILABLE'],
  [new UndoExpiredError('op_1', 'snp_1'), 'UndoExpiredError', 'UNDO_EXPIRED'],
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
