import type { ErrorCode } from '../shared/error-codes.ts';

/**
 * The error names a host agent reports (in command failures and in its problem answers), each with
 * its code from the one table of codes. The names are the wire contract that the state machines'
 * `Retry` and `Catch` match, and `agent/protocol/errors.ts` exports them to the agent: extend,
 * never rename.
 */
export const AGENT_ERROR_CODES = {
  /** The slice has no disk on this host. */
  DiskNotFound: 'DISK_NOT_FOUND',
  /** `create-disk` for a slice that already has one. */
  DiskExists: 'DISK_EXISTS',
  /** The target disk is smaller than the image's disk. */
  DiskTooSmall: 'DISK_TOO_SMALL',
  /** `write-image` onto a slice that is powered on. */
  SlicePoweredOn: 'SLICE_POWERED_ON',
  /** Another command is already working on this slice. */
  SliceBusy: 'SLICE_BUSY',
  /** A chunk or the manifest fails verification, or a chunk the manifest names is missing. */
  ImageCorrupt: 'IMAGE_CORRUPT',
  /** No manifest at the snapshot's key. */
  ImageNotFound: 'IMAGE_NOT_FOUND',
  /** The image store refused, failed or timed out (after the client's own retries). */
  StoreUnavailable: 'STORE_UNAVAILABLE',
  /** The agent restarted while the command was running; the command did not finish. */
  AgentRestarted: 'AGENT_RESTARTED',
  /** A `cancel` stopped the command before it finished. */
  Cancelled: 'COMMAND_CANCELLED',
  /** The slice did not power off, even forced, in time. */
  PowerTimeout: 'POWER_TIMEOUT',
  /** The command is malformed (400). */
  InvalidCommand: 'INVALID_COMMAND',
  /** A command ID reused with another command (409). */
  CommandConflict: 'COMMAND_CONFLICT',
  /** `upload` or `discard-capture` of a capture that does not exist. */
  CaptureNotFound: 'CAPTURE_NOT_FOUND',
  /** `power-on` past the host's memory for VMs (`AGENT_MEMORY_MB`). */
  HostCapacityExceeded: 'HOST_CAPACITY_EXCEEDED',
  /** The hypervisor failed to start, stop or copy a VM. */
  HypervisorError: 'HYPERVISOR_FAILED',
  /** Anything unexpected (a bug or the host itself failing, e.g. a full disk). */
  AgentError: 'AGENT_FAILED',
} as const satisfies Record<string, ErrorCode>;

/** An error name a host agent reports. */
export type AgentErrorName = keyof typeof AGENT_ERROR_CODES;

/** Whether `value` is one of the agent's error names. */
export function isAgentErrorName(value: unknown): value is AgentErrorName {
  return typeof value === 'string' && Object.hasOwn(AGENT_ERROR_CODES, value);
}
