import {
  AGENT_ERROR_CODES,
  type AgentErrorName,
  isAgentErrorName,
} from '../agents/agent-error-codes.ts';
import {
  NoHostAvailableError,
  SliceNotPlacedError,
  UnknownHostError,
} from '../hosts/host-errors.ts';
import { PolicyNotFoundError } from '../policies/policy-errors.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import type { Failure } from '../shared/failure.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
  SliceNotFoundError,
} from '../slices/slice-errors.ts';
import { ImageIncompleteError, ImageManifestCorruptError } from '../snapshots/image-errors.ts';
import { SnapshotBeingDeletedError, SnapshotProtectedError } from '../snapshots/snapshot-errors.ts';

/** A workflow step's failure as a state machine's `Catch` hands it over (`ResultPath: $.error`). */
export interface WorkflowError {
  /** The error name: a Lambda error's `name`, an agent error name, or a `States.*` error. */
  readonly Error: string;
  /** Details; may hold internal data (stack traces, addresses), so it is never shown to users. */
  readonly Cause?: string | null;
}

/** An error class of the domain: the name and code that each of its errors carries. */
interface DomainErrorClass {
  readonly errorName: string;
  readonly errorCode: ErrorCode;
}

/**
 * The fixed sentence users see for each domain error a workflow step may end with; the code is the
 * error's own. Messages are fixed because the cause of a step's failure can name hosts, addresses
 * or stack frames, which users must not see.
 */
const DOMAIN_FAILURES: ReadonlyArray<readonly [DomainErrorClass, string]> = [
  [NoHostAvailableError, "no host is available in the slice's region"],
  [UnknownHostError, "the slice's host is no longer registered"],
  [ImageIncompleteError, 'the uploaded image was incomplete'],
  [ImageManifestCorruptError, "the snapshot's image is damaged"],
  [SliceNotFoundError, 'the slice no longer exists'],
  [SliceBusyError, 'the slice was busy with another operation'],
  [IllegalSliceTransitionError, 'the slice was not active'],
  [SliceNotPlacedError, 'the slice has no host'],
  [PolicyNotFoundError, 'the policy was deleted'],
  [SnapshotBeingDeletedError, 'the snapshot was being deleted: its verification stopped'],
  [SnapshotProtectedError, 'the snapshot is protected: nothing of it was deleted'],
];

/**
 * What users see for each error a workflow step may end with that is not a host's: the domain's
 * errors, then the names Step Functions and the reconciler give to how a task or an execution
 * ended, each with its code and a fixed sentence.
 */
const FAILURES: Readonly<Record<string, Failure>> = {
  ...Object.fromEntries(
    DOMAIN_FAILURES.map(([error, message]) => [
      error.errorName,
      { code: error.errorCode, message },
    ]),
  ),
  AgentUnreachable: { code: 'AGENT_UNREACHABLE', message: "the slice's host could not be reached" },
  'States.Timeout': { code: 'AGENT_TIMEOUT', message: "the slice's host did not finish in time" },
  'States.HeartbeatTimeout': {
    code: 'AGENT_TIMEOUT',
    message: "the slice's host stopped reporting progress",
  },
  ExecutionAborted: {
    code: 'WORKFLOW_ABORTED',
    message: 'the operation was stopped before it finished; what it had changed was undone',
  },
  ExecutionTimedOut: {
    code: 'WORKFLOW_TIMED_OUT',
    message: 'the operation did not finish in time; what it had changed was undone',
  },
  ExecutionFailed: {
    code: 'WORKFLOW_FAILED',
    message: 'the operation failed; what it had changed was undone',
  },
  ExecutionMissing: {
    code: 'WORKFLOW_NOT_STARTED',
    message: 'the operation never started; nothing was changed',
  },
};

/**
 * The fixed sentence of a host's error, where it has one of its own; its code is always the one
 * `AGENT_ERROR_CODES` gives it.
 */
const AGENT_FAILURE_MESSAGES: Readonly<Partial<Record<AgentErrorName, string>>> = {
  AgentRestarted: "the slice's host restarted during the work",
  AgentError: "the slice's host failed to do the work",
  SliceBusy: "the slice's host was busy with another task",
  DiskExists: 'a disk for this slice already existed',
  DiskNotFound: "the slice's disk was not found",
  DiskTooSmall: "the disk is smaller than the image's",
  SlicePoweredOn: 'the slice was powered on',
  PowerTimeout: 'the slice did not power off in time',
  ImageNotFound: "the snapshot's image was not found",
  ImageCorrupt: "the snapshot's image is damaged",
  StoreUnavailable: 'the image store was unavailable',
  CaptureNotFound: "the disk's capture was gone before its upload",
};

/**
 * The error a reconciled operation ends with, by how its execution ended outside any `Catch`
 * (stopped, timed out, failed in a step without one, or never started).
 */
export const EXECUTION_ENDED_ERRORS = {
  ABORTED: 'ExecutionAborted',
  TIMED_OUT: 'ExecutionTimedOut',
  FAILED: 'ExecutionFailed',
  MISSING: 'ExecutionMissing',
} as const;

/**
 * The failure users see for a workflow error. An error without a sentence of its own takes
 * `fallback`'s; a host's error name still keeps its own code with it.
 */
export function failureOf(error: WorkflowError, fallback: Failure): Failure {
  if (isAgentErrorName(error.Error)) {
    return {
      code: AGENT_ERROR_CODES[error.Error],
      message: AGENT_FAILURE_MESSAGES[error.Error] ?? fallback.message,
    };
  }
  return FAILURES[error.Error] ?? fallback;
}
