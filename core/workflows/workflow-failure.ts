import type { Failure } from '../shared/failure.ts';

/** A workflow step's failure as a state machine's `Catch` hands it over (`ResultPath: $.error`). */
export interface WorkflowError {
  /** The error name: a Lambda error's `name`, an agent error name, or a `States.*` error. */
  readonly Error: string;
  /** Details; may hold internal data (stack traces, addresses), so it is never shown to users. */
  readonly Cause?: string | null;
}

/**
 * What users see for each error a workflow step may end with. Messages are fixed sentences: the
 * cause of a step's failure can name hosts, addresses or stack frames, which users must not see.
 */
const FAILURES: Readonly<Record<string, Failure>> = {
  NoHostAvailableError: {
    code: 'HOST.NONE_AVAILABLE',
    message: "no host is available in the slice's region",
  },
  UnknownHostError: { code: 'HOST.UNKNOWN', message: "the slice's host is no longer registered" },
  AgentUnreachable: { code: 'AGENT.UNREACHABLE', message: "the slice's host could not be reached" },
  AgentRestarted: {
    code: 'AGENT.RESTARTED',
    message: "the slice's host restarted during the work",
  },
  AgentError: { code: 'AGENT.FAILED', message: "the slice's host failed to do the work" },
  SliceBusy: { code: 'AGENT.SLICE_BUSY', message: "the slice's host was busy with another task" },
  DiskExists: { code: 'AGENT.DISK_EXISTS', message: 'a disk for this slice already existed' },
  DiskNotFound: { code: 'AGENT.DISK_NOT_FOUND', message: "the slice's disk was not found" },
  DiskTooSmall: { code: 'SLICE.DISK_TOO_SMALL', message: "the disk is smaller than the image's" },
  SlicePoweredOn: { code: 'SLICE.POWERED_ON', message: 'the slice was powered on' },
  PowerTimeout: { code: 'SLICE.POWER_TIMEOUT', message: 'the slice did not power off in time' },
  ImageNotFound: {
    code: 'SNAPSHOT.IMAGE_NOT_FOUND',
    message: "the snapshot's image was not found",
  },
  ImageCorrupt: { code: 'SNAPSHOT.IMAGE_CORRUPT', message: "the snapshot's image is damaged" },
  StoreUnavailable: { code: 'STORE.UNAVAILABLE', message: 'the image store was unavailable' },
  CaptureNotFound: {
    code: 'SNAPSHOT.CAPTURE_NOT_FOUND',
    message: "the disk's capture was gone before its upload",
  },
  ImageIncompleteError: {
    code: 'SNAPSHOT.IMAGE_INCOMPLETE',
    message: 'the uploaded image was incomplete',
  },
  ImageManifestCorruptError: {
    code: 'SNAPSHOT.IMAGE_CORRUPT',
    message: "the snapshot's image is damaged",
  },
  SliceNotFoundError: { code: 'SLICE.NOT_FOUND', message: 'the slice no longer exists' },
  SliceBusyError: { code: 'SLICE.BUSY', message: 'the slice was busy with another operation' },
  IllegalSliceTransitionError: {
    code: 'SLICE.NOT_ACTIVE',
    message: 'the slice was not active',
  },
  SliceNotPlacedError: { code: 'SLICE.NOT_PLACED', message: 'the slice has no host' },
  SnapshotProtectedError: {
    code: 'SNAPSHOT.PROTECTED',
    message: 'the snapshot is protected: nothing of it was deleted',
  },
  ChunkCleanupInProgressError: {
    code: 'IMAGES.BUSY',
    message: "the account's images were being cleaned up: try again in a few minutes",
  },
  'States.Timeout': { code: 'AGENT.TIMEOUT', message: "the slice's host did not finish in time" },
  'States.HeartbeatTimeout': {
    code: 'AGENT.TIMEOUT',
    message: "the slice's host stopped reporting progress",
  },
  ExecutionAborted: {
    code: 'WORKFLOW.ABORTED',
    message: 'the operation was stopped before it finished; what it had changed was undone',
  },
  ExecutionTimedOut: {
    code: 'WORKFLOW.TIMED_OUT',
    message: 'the operation did not finish in time; what it had changed was undone',
  },
  ExecutionFailed: {
    code: 'WORKFLOW.FAILED',
    message: 'the operation failed; what it had changed was undone',
  },
  ExecutionMissing: {
    code: 'WORKFLOW.NOT_STARTED',
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

/** The failure users see for a workflow error; `fallback` for errors without a sentence of their own. */
export function failureOf(error: WorkflowError, fallback: Failure): Failure {
  return FAILURES[error.Error] ?? fallback;
}
