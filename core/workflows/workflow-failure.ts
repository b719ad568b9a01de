import { AGENT_ERROR_CODES, isAgentErrorName } from '../agents/agent-error-codes.ts';
import type { Failure } from '../shared/failure.ts';

/** A workflow step's failure as a state machine's `Catch` hands it over (`ResultPath: $.error`). */
export interface WorkflowError {
  /** The error name: a Lambda error's `name`, an agent error name, or a `States.*` error. */
  readonly Error: string;
  /** Details; may hold internal data (stack traces, addresses), so it is never shown to users. */
  readonly Cause?: string | null;
}

/**
 * What users see for each error a workflow step may end with: the code the error itself carries
 * (a host's error name has the code of `AGENT_ERROR_CODES`), and a fixed sentence. Messages are
 * fixed because the cause of a step's failure can name hosts, addresses or stack frames, which
 * users must not see.
 */
const FAILURES: Readonly<Record<string, Failure>> = {
  NoHostAvailableError: {
    code: 'NO_HOST_AVAILABLE',
    message: "no host is available in the slice's region",
  },
  UnknownHostError: { code: 'UNKNOWN_HOST', message: "the slice's host is no longer registered" },
  AgentUnreachable: { code: 'AGENT_UNREACHABLE', message: "the slice's host could not be reached" },
  AgentRestarted: {
    code: AGENT_ERROR_CODES.AgentRestarted,
    message: "the slice's host restarted during the work",
  },
  AgentError: {
    code: AGENT_ERROR_CODES.AgentError,
    message: "the slice's host failed to do the work",
  },
  SliceBusy: {
    code: AGENT_ERROR_CODES.SliceBusy,
    message: "the slice's host was busy with another task",
  },
  DiskExists: {
    code: AGENT_ERROR_CODES.DiskExists,
    message: 'a disk for this slice already existed',
  },
  DiskNotFound: {
    code: AGENT_ERROR_CODES.DiskNotFound,
    message: "the slice's disk was not found",
  },
  DiskTooSmall: {
    code: AGENT_ERROR_CODES.DiskTooSmall,
    message: "the disk is smaller than the image's",
  },
  SlicePoweredOn: { code: AGENT_ERROR_CODES.SlicePoweredOn, message: 'the slice was powered on' },
  PowerTimeout: {
    code: AGENT_ERROR_CODES.PowerTimeout,
    message: 'the slice did not power off in time',
  },
  ImageNotFound: {
    code: AGENT_ERROR_CODES.ImageNotFound,
    message: "the snapshot's image was not found",
  },
  ImageCorrupt: {
    code: AGENT_ERROR_CODES.ImageCorrupt,
    message: "the snapshot's image is damaged",
  },
  StoreUnavailable: {
    code: AGENT_ERROR_CODES.StoreUnavailable,
    message: 'the image store was unavailable',
  },
  CaptureNotFound: {
    code: AGENT_ERROR_CODES.CaptureNotFound,
    message: "the disk's capture was gone before its upload",
  },
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
  const known = FAILURES[error.Error];
  if (known) return known;
  if (isAgentErrorName(error.Error)) {
    return { code: AGENT_ERROR_CODES[error.Error], message: fallback.message };
  }
  return fallback;
}
