/**
 * Error names the agent reports, in command failures and in problem+json answers. They are the
 * contract the state machines' `Retry` / `Catch` `ErrorEquals` match: extend, never rename.
 */
export const AGENT_ERRORS = {
  /** The slice has no disk on this host. */
  DiskNotFound: 'DiskNotFound',
  /** `create-disk` for a slice that already has one. */
  DiskExists: 'DiskExists',
  /** The target disk is smaller than the image's disk. */
  DiskTooSmall: 'DiskTooSmall',
  /** `write-image` onto a slice that is powered on. */
  SlicePoweredOn: 'SlicePoweredOn',
  /** Another command is already working on this slice. */
  SliceBusy: 'SliceBusy',
  /** A chunk or the manifest fails verification, or a chunk the manifest names is missing. */
  ImageCorrupt: 'ImageCorrupt',
  /** No manifest at the snapshot's key. */
  ImageNotFound: 'ImageNotFound',
  /** The image store refused, failed or timed out (after the client's own retries). */
  StoreUnavailable: 'StoreUnavailable',
  /** The agent restarted while the command was running; the command did not finish. */
  AgentRestarted: 'AgentRestarted',
  /** A `cancel` stopped the command before it finished. */
  Cancelled: 'Cancelled',
  /** The slice did not power off, even forced, in time. */
  PowerTimeout: 'PowerTimeout',
  /** The command is malformed (400). */
  InvalidCommand: 'InvalidCommand',
  /** A command ID reused with another command (409). */
  CommandConflict: 'CommandConflict',
  /** `upload` or `discard-capture` of a capture that does not exist. */
  CaptureNotFound: 'CaptureNotFound',
  /** `power-on` past the host's memory for VMs (`AGENT_MEMORY_MB`). */
  HostCapacityExceeded: 'HostCapacityExceeded',
  /** The hypervisor failed to start, stop or copy a VM. */
  HypervisorError: 'HypervisorError',
  /** Anything unexpected (a bug or the host itself failing, e.g. a full disk). */
  AgentError: 'AgentError',
} as const;

export type AgentErrorName = (typeof AGENT_ERRORS)[keyof typeof AGENT_ERRORS];

/** Every error name, for tests that check the state machines only match names that exist. */
export const AGENT_ERROR_NAMES: readonly AgentErrorName[] = Object.values(AGENT_ERRORS);

/** Worth retrying the same command later (under a new command ID): the cause may be gone. */
export const TRANSIENT_AGENT_ERRORS: readonly AgentErrorName[] = [
  AGENT_ERRORS.StoreUnavailable,
  AGENT_ERRORS.SliceBusy,
  AGENT_ERRORS.AgentRestarted,
];

/** The `error` of a failed command. */
export interface AgentErrorBody {
  readonly name: AgentErrorName;
  readonly message: string;
  /**
   * Chunk keys a failed `upload` wrote or began to write (a PUT that failed may still have
   * landed), for the backend's compensation; deleting one that was never written is a no-op.
   */
  readonly uploadedKeys?: readonly string[];
}

export function isAgentErrorName(value: unknown): value is AgentErrorName {
  return typeof value === 'string' && (AGENT_ERROR_NAMES as readonly string[]).includes(value);
}
