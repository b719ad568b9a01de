import {
  AGENT_ERROR_CODES,
  type AgentErrorName,
  isAgentErrorName,
} from '../agents/agent-error-codes.ts';
import type { Failure } from '../shared/failure.ts';

/** A workflow step's failure as a state machine's `Catch` hands it over (`ResultPath: $.error`). */
export interface WorkflowError {
  /** The error name: a Lambda error's `name`, an agent error name, or a `States.*` error. */
  readonly Error: string;
  /** Details; may hold internal data (stack traces, addresses), so it is never shown to users. */
  readonly Cause?: string | null;
}

/**
 * What users see for each error a workflow step may end with that is not a host's: the code the
 * error itself carries and a fixed sentence. Messages are fixed because the cause of a step's
 * failure can name hosts, addresses or stack frames, which users must not see.
 */
const FAILURES: Readonly<Record<string, Failure>> = {
  NoHostAvailableError: {
    code: 'NO_HOST_AVAILABLE',
    message: "no host is available in the slice's region",
  },
  UnknownHostError: { code: 'UNKNOWN_HOST', message: "the slice's host is no longer registered" },
  AgentUnreachable: { code: 'AGENT_UNREACHABLE', message: "the slice's host could not be reached" },
  ImageIncompleteError: {
    code: 'IMAGE_INCOMPLETE',
    message: 'the uploaded image was incomplete',
  },
  ImageManifestCorruptError: { code: 'IMAGE_CORRUPT', message: "the snapshot's image is damaged" },
  SliceNotFoundError: { code: 'SLICE_NOT_FOUND', message: 'the slice no longer exists' },
  SliceBusyError: { code: 'SLICE_BUSY', message: 'the slice was busy with another operation' },
  IllegalSliceTransitionError: {
    code: 'ILLEGAL_TRANSITION',
    message: 'the slice was not active',
  },
  SliceNotPlacedError: { code: 'SLICE_NOT_PLACED', message: 'the slice has no host' },
  PolicyNotFoundError: { code: 'POLICY_NOT_FOUND', message: 'the policy was deleted' },
  SnapshotBeingDeletedError: {
    code: 'SNAPSHOT_BEING_DELETED',
    message: 'the snapshot was being deleted: its verification stopped',
  },
  SnapshotProtectedError: {
    code: 'SNAPSHOT_PROTECTED',
    message: 'the snapshot is protected: nothing of it was deleted',
  },
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
