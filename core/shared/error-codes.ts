/**
 * Every error code of the product and the HTTP status of an answer that carries it. A code is a
 * stable, upper snake case name that clients, events and host agents share; a message may change,
 * a code never does. Several errors may share a code when they mean the same thing to a client
 * (a slice busy in the backend or on its host is `SLICE_BUSY` either way). Add codes; never rename
 * or reuse one. The README's error table says what each means and what a client should do.
 */
export const ERROR_STATUS = {
  // Requests that cannot be understood as sent.
  /** Input breaks the contract; the problem's `errors` names every bad field. */
  VALIDATION_FAILED: 400,
  /** The body is not JSON. */
  MALFORMED_JSON: 400,
  /** A list cursor that this deployment did not issue for this account and these filters. */
  INVALID_CURSOR: 400,
  /** A region this deployment does not serve. */
  UNKNOWN_REGION: 400,
  /** Charges of a month that has not begun. */
  BILLING_MONTH_NOT_BEGUN: 400,
  /** A `labelSelector` that cannot be read; the problem's `errors` names the position. */
  INVALID_LABEL_SELECTOR: 400,
  /** No token, a refused token or signature, or a token without an account. */
  UNAUTHORIZED: 401,
  /** No route for this method and path. */
  ROUTE_NOT_FOUND: 404,
  /** The path exists, the method does not. */
  METHOD_NOT_ALLOWED: 405,
  /** The body is larger than allowed. */
  BODY_TOO_LARGE: 413,
  /** The body is not sent as JSON. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many requests: the route's rate or the account's limit. */
  RATE_LIMITED: 429,

  // Resources and their states.
  /** No slice with this id in the caller's account. */
  SLICE_NOT_FOUND: 404,
  /** No snapshot with this id in the caller's account. */
  SNAPSHOT_NOT_FOUND: 404,
  /** No operation with this id in the caller's account. */
  OPERATION_NOT_FOUND: 404,
  /** No snapshot policy with this id in the caller's account. */
  POLICY_NOT_FOUND: 404,
  /** Another operation holds the slice; the problem names it in `operationId`. */
  SLICE_BUSY: 409,
  /** The resource's status does not allow the change (a deleted slice, a failed snapshot). */
  ILLEGAL_TRANSITION: 409,
  /** The snapshot is not `available` (yet, or any more). */
  SNAPSHOT_NOT_AVAILABLE: 409,
  /** The snapshot is being deleted; only the deletion goes on. */
  SNAPSHOT_BEING_DELETED: 409,
  /**
   * A restore or a new slice reads the snapshot now (a deletion for good, a purge of the recycle
   * bin, waits for it); the problem names it in `operationId`.
   */
  SNAPSHOT_IN_USE: 409,
  /** Only a snapshot in the recycle bin can be recovered. */
  SNAPSHOT_NOT_RECYCLED: 409,
  /** The snapshot is in the recycle bin already; `?purge=true` deletes it for good. */
  SNAPSHOT_ALREADY_RECYCLED: 409,
  /** The snapshot's source slice is deleted and no other slice was named to restore onto. */
  SOURCE_SLICE_DELETED: 409,
  /** Undo of an operation that is not a succeeded restore. */
  OPERATION_NOT_UNDOABLE: 409,
  /** Undo of a restore that kept no copy of the disk it replaced. */
  UNDO_NOT_AVAILABLE: 409,
  /** Undo of a restore whose kept copy of the replaced disk has been purged. */
  UNDO_EXPIRED: 409,
  /** The snapshot's verification found its image damaged: nothing is restored from it. */
  SNAPSHOT_CORRUPT: 409,
  /** The snapshot is protected: nothing deletes it until `"protected": false` is set. */
  SNAPSHOT_PROTECTED: 409,
  /** A run of the snapshot policy is going; runs of one policy never overlap. */
  POLICY_RUN_IN_PROGRESS: 409,
  /** The slice has delete protection on: it is not deleted until `"deleteProtected": false`. */
  SLICE_DELETE_PROTECTED: 409,
  /** The record changed between a read and a conditional write. */
  CONCURRENT_MODIFICATION: 409,
  /** A record with this id exists already. */
  RECORD_ALREADY_EXISTS: 409,
  /** The Idempotency-Key was used with another request. */
  IDEMPOTENCY_KEY_REUSED: 409,
  /** A request with this Idempotency-Key is still being processed. */
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  /** The snapshot is in another region than the slice to be made from it. */
  SNAPSHOT_REGION_MISMATCH: 422,
  /** A copy of a snapshot to the region it is already in. */
  SNAPSHOT_ALREADY_IN_REGION: 422,
  /** The target disk is smaller than the snapshot's source disk. */
  DISK_TOO_SMALL: 422,
  /** The region has no host to place a slice on. */
  NO_HOST_AVAILABLE: 422,

  // Workflow steps: what an operation's `error.code` holds when one of them ends it.
  /** A workflow step acted under a slice lock it does not hold. */
  SLICE_LOCK_NOT_HELD: 409,
  /** A step that needs the slice's disk ran before the slice had a host. */
  SLICE_NOT_PLACED: 409,
  /** A host id the host registry does not list. */
  UNKNOWN_HOST: 404,
  /** A snapshot's image lacks its manifest or chunks the manifest names. */
  IMAGE_INCOMPLETE: 409,
  /** A snapshot's image fails its checksum or format. */
  IMAGE_CORRUPT: 409,
  /** A callback reports on a workflow task that no longer waits. */
  WORKFLOW_TASK_GONE: 410,
  /** Some accounts of a billing run could not be charged; running the month again completes it. */
  BILLING_RUN_INCOMPLETE: 500,

  // Host agents: the codes of the agent's error names (core/agents/agent-error-codes.ts).
  /** The host's agent could not be reached, or failed on its side. */
  AGENT_UNREACHABLE: 502,
  /** The slice has no disk on its host. */
  DISK_NOT_FOUND: 404,
  /** A disk for the slice exists already on its host. */
  DISK_EXISTS: 409,
  /** The slice is powered on, and the command needs it off. */
  SLICE_POWERED_ON: 409,
  /** No manifest at the snapshot's key. */
  IMAGE_NOT_FOUND: 404,
  /** The image store refused, failed or timed out. */
  STORE_UNAVAILABLE: 503,
  /** The agent restarted while the command ran. */
  AGENT_RESTARTED: 503,
  /** A `cancel` stopped the command before it finished. */
  COMMAND_CANCELLED: 409,
  /** The slice did not power off, even forced, in time. */
  POWER_TIMEOUT: 500,
  /** The agent's command is malformed. */
  INVALID_COMMAND: 400,
  /** A command id reused for another command. */
  COMMAND_CONFLICT: 409,
  /** No command with this id on the agent. */
  COMMAND_NOT_FOUND: 404,
  /** The capture to upload or discard does not exist. */
  CAPTURE_NOT_FOUND: 404,
  /** Powering on would pass the memory the host gives VMs. */
  HOST_CAPACITY_EXCEEDED: 503,
  /** The hypervisor failed to start, stop or copy a VM. */
  HYPERVISOR_FAILED: 500,
  /** Anything unexpected on the host (a bug, a full disk). */
  AGENT_FAILED: 500,

  /** Anything unexpected in the backend; logged, never detailed to the client. */
  INTERNAL: 500,
} as const satisfies Record<string, number>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** Every error code, in the table's order. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as readonly ErrorCode[];

/**
 * Codes that only say how an operation ended, with no error of their own behind them: its workflow
 * was stopped or timed out, a step's wait timed out, or a step failed without a more precise code.
 * An operation's `error.code` (and its failure event's) is one of these or the code of the error
 * that ended it.
 */
export const OUTCOME_CODES = [
  /** The operation's workflow could not be started. */
  'WORKFLOW_START_FAILED',
  /** The workflow was stopped before it finished (an operator, or the local cloud killed). */
  'WORKFLOW_ABORTED',
  /** The workflow passed its own time limit. */
  'WORKFLOW_TIMED_OUT',
  /** The workflow failed in a step without a compensation of its own. */
  'WORKFLOW_FAILED',
  /** The workflow never started. */
  'WORKFLOW_NOT_STARTED',
  /** The host did not finish its step in time, or stopped reporting progress. */
  'AGENT_TIMEOUT',
  /** A snapshot failed for a reason without a code of its own. */
  'SNAPSHOT_FAILED',
  /** A copy to another region failed for a reason without a code of its own; the source is unchanged. */
  'SNAPSHOT_COPY_FAILED',
  /** A snapshot's deletion failed for a reason without a code of its own; deleting it again resumes. */
  'SNAPSHOT_DELETION_FAILED',
  /** A slice's build failed for a reason without a code of its own. */
  'SLICE_BUILD_FAILED',
  /** A power change or deletion failed for a reason without a code of its own. */
  'SLICE_OPERATION_FAILED',
  /** A restore failed for a reason without a code of its own; the disk is as it was. */
  'RESTORE_FAILED',
  /** A restore failed after its image was written, and the previous disk could not be put back. */
  'RESTORE_NOT_ROLLED_BACK',
  /**
   * A restore succeeded but could not keep the disk it replaced, for a reason without a code of
   * its own (its operation's `undoError`).
   */
  'UNDO_NOT_KEPT',
] as const;

/** A code that only says how an operation ended. */
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

/** What an operation's `error.code` holds: the code of the error that ended it, or an outcome. */
export type FailureCode = ErrorCode | OutcomeCode;

/** Every code an operation's `error.code` may hold. */
export const FAILURE_CODES: readonly FailureCode[] = [...ERROR_CODES, ...OUTCOME_CODES];

/** The HTTP status of an answer carrying `code`. */
export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
