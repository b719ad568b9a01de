import type { DiskMeasurement } from '../../core/snapshots/snapshot-quote.ts';
import type { AgentErrorBody } from './errors.ts';

/** Where a long command reports: a signed POST to `url` carrying the caller's task token. */
export interface CallbackTarget {
  readonly url: string;
  readonly taskToken: string;
}

interface CommandBase {
  /** Chosen by the caller; a repeated ID never repeats the work, it reports the first outcome. */
  readonly commandId: string;
  readonly sliceId: string;
  readonly callback?: CallbackTarget;
}

export interface CreateDiskCommand extends CommandBase {
  readonly type: 'create-disk';
  readonly sizeBytes: number;
}
export interface DeleteDiskCommand extends CommandBase {
  readonly type: 'delete-disk';
}
export interface PowerOnCommand extends CommandBase {
  readonly type: 'power-on';
}
export interface PowerOffCommand extends CommandBase {
  readonly type: 'power-off';
  /** How long the guest gets to shut down before the power is cut; default 60. */
  readonly gracefulTimeoutSeconds?: number;
}
export interface StatusCommand extends CommandBase {
  readonly type: 'status';
}
/** What a snapshot of the disk would hold and take now, read without changing anything. */
export interface QuoteCommand extends CommandBase {
  readonly type: 'quote';
  /** Snapshots a snapshot now could build on, as a capture's `baseSnapshotIds`. */
  readonly baseSnapshotIds?: readonly string[];
}
export interface CaptureCommand extends CommandBase {
  readonly type: 'capture';
  /** Names the point-in-time copy for `upload` and `discard-capture` (the snapshot ID fits). */
  readonly captureId: string;
  /**
   * Snapshots the following `upload` may build on (its `baseSnapshotIds`). A driver that tracked
   * the blocks written since capturing one of them copies only those; the upload takes the rest
   * from that snapshot's manifest.
   */
  readonly baseSnapshotIds?: readonly string[];
}
export interface DiscardCaptureCommand extends CommandBase {
  readonly type: 'discard-capture';
  readonly captureId: string;
}
export interface UploadCommand extends CommandBase {
  readonly type: 'upload';
  readonly captureId: string;
  readonly accountId: string;
  readonly snapshotId: string;
  /**
   * Snapshots of the same account whose chunks may be taken as present without asking the store
   * (the slice's previous snapshot, the snapshot it was made from). The backend guarantees they
   * are not garbage-collected while this upload runs.
   */
  readonly baseSnapshotIds?: readonly string[];
  /** Keep the capture after a successful upload (default: it is discarded). */
  readonly keepCapture?: boolean;
}
export interface WriteImageCommand extends CommandBase {
  readonly type: 'write-image';
  readonly accountId: string;
  readonly snapshotId: string;
  /**
   * Size of the disk written. Default: the slice's current disk size, or the image's disk size
   * when the slice has no disk yet (a slice created from a snapshot).
   */
  readonly sizeBytes?: number;
  /**
   * Keeps the disk this write replaces as rollback `rollbackId` (once: a retried write keeps the
   * first one), so that `roll-back-image` can put it back. Ignored when the slice has no disk yet.
   */
  readonly rollbackId?: string;
}
export interface RollBackImageCommand extends CommandBase {
  readonly type: 'roll-back-image';
  readonly rollbackId: string;
}
export interface DiscardRollbackCommand extends CommandBase {
  readonly type: 'discard-rollback';
  readonly rollbackId: string;
}
/**
 * Stops the command running on the slice, if any, and answers once it has ended: it fails with
 * `Cancelled` (an upload or image write stops between chunks and cleans up as on any failure). For
 * a backend whose workflow ended without waiting for the command (stopped, timed out).
 */
export interface CancelCommand extends CommandBase {
  readonly type: 'cancel';
}

export type AgentCommand =
  | CreateDiskCommand
  | DeleteDiskCommand
  | PowerOnCommand
  | PowerOffCommand
  | StatusCommand
  | QuoteCommand
  | CaptureCommand
  | DiscardCaptureCommand
  | UploadCommand
  | WriteImageCommand
  | RollBackImageCommand
  | DiscardRollbackCommand
  | CancelCommand;

export type AgentCommandType = AgentCommand['type'];

/** A command without its ID, each shape of the union kept apart. */
export type CommandBody<C = AgentCommand> = C extends AgentCommand ? Omit<C, 'commandId'> : never;

export const COMMAND_TYPES: readonly AgentCommandType[] = [
  'create-disk',
  'delete-disk',
  'power-on',
  'power-off',
  'status',
  'quote',
  'capture',
  'discard-capture',
  'upload',
  'write-image',
  'roll-back-image',
  'discard-rollback',
  'cancel',
];

/**
 * Commands that answer 200 with their outcome when sent without a callback. The others answer 202
 * and are followed with `GET /v1/commands/{id}`. With a callback every command answers 202.
 */
export const SHORT_COMMAND_TYPES: readonly AgentCommandType[] = [
  'create-disk',
  'delete-disk',
  'power-on',
  'status',
  'quote',
  'discard-capture',
  'roll-back-image',
  'discard-rollback',
  'cancel',
];

export type PowerState = 'on' | 'off';

export interface DiskResult {
  readonly sliceId: string;
  readonly diskBytes: number;
  readonly power: PowerState;
}
export interface DeleteDiskResult {
  readonly sliceId: string;
  readonly deleted: true;
}
export interface PowerResult {
  readonly sliceId: string;
  readonly power: PowerState;
  /** False when the slice already was in that state. */
  readonly changed: boolean;
  /** True when the guest did not shut down in time and the power was cut (power-off only). */
  readonly forced?: boolean;
  /** How the guest went down, for power-off only; `none` when it was off already. */
  readonly shutdown?: 'graceful' | 'forced' | 'none';
}
export interface StatusResult {
  readonly sliceId: string;
  readonly exists: boolean;
  readonly power: PowerState | null;
  readonly diskBytes: number | null;
  /** Bytes the disk file occupies on the host (holes excluded). */
  readonly allocatedBytes: number | null;
  readonly captures: readonly string[];
}
/**
 * What a snapshot of the disk would be now: the bytes of the chunks that hold data (what it is
 * billed on, holes skipped), the bytes written since a base snapshot's capture where the driver
 * tracks changed blocks (else null), and the host's measured rates (null before it measured any).
 */
export interface QuoteResult extends DiskMeasurement {
  readonly sliceId: string;
}
export interface CaptureResult {
  readonly sliceId: string;
  readonly captureId: string;
  readonly diskBytes: number;
  /**
   * `reflink`: shared blocks, instant; `sparse-copy`: the data regions were copied;
   * `backup-job`: a running VM copied by QEMU's copy-before-write block job.
   */
  readonly method: 'reflink' | 'sparse-copy' | 'backup-job';
  /** The power state at the capture point: `on` means crash-consistent unless `frozen`. */
  readonly power: PowerState;
  /** The guest's filesystems were frozen by its guest agent at the capture point. */
  readonly frozen?: boolean;
  /** Only the blocks written since a base snapshot's capture were copied (see `upload`). */
  readonly changedBlockTracking?: boolean;
}
export interface DiscardCaptureResult {
  readonly captureId: string;
  /** False when there was nothing to discard (discarding is idempotent). */
  readonly discarded: boolean;
}
export interface UploadResult {
  readonly manifestKey: string;
  readonly diskBytes: number;
  /** Bytes in the non-zero chunks: what the snapshot is billed on. */
  readonly usedBytes: number;
  /** Bytes the referenced chunks occupy in the store (after compression). */
  readonly storedBytes: number;
  /** Non-zero chunks the manifest references. */
  readonly chunkCount: number;
  readonly uploadedChunks: number;
  readonly reusedChunks: number;
  /** Distinct chunk hashes the manifest references; left out above 1,000 (read the manifest). */
  readonly chunkHashes?: readonly string[];
  /** Chunks read and hashed; with changed-block tracking only those the guest wrote. */
  readonly chunksRead: number;
  /** The other chunks were taken from the base snapshot's manifest, unread. */
  readonly changedBlockTracking: boolean;
}
export interface WriteImageResult {
  readonly sliceId: string;
  readonly manifestKey: string;
  /** Size of the disk written (at least the image's disk size). */
  readonly diskBytes: number;
  readonly imageDiskBytes: number;
  readonly usedBytes: number;
  readonly chunkCount: number;
}

export interface RollBackImageResult {
  readonly sliceId: string;
  readonly rollbackId: string;
  /** False when no disk was kept under that id (nothing was swapped, or it was put back already). */
  readonly rolledBack: boolean;
}
export interface DiscardRollbackResult {
  readonly rollbackId: string;
  /** False when there was nothing to discard (discarding is idempotent). */
  readonly discarded: boolean;
}

export interface CancelResult {
  readonly sliceId: string;
  /** The command stopped (it has ended by the answer), or null when none was running. */
  readonly cancelledCommandId: string | null;
  /** Its type, or null. */
  readonly cancelledType: AgentCommandType | null;
}

export interface CommandResults {
  'create-disk': DiskResult;
  'delete-disk': DeleteDiskResult;
  'power-on': PowerResult;
  'power-off': PowerResult;
  status: StatusResult;
  quote: QuoteResult;
  capture: CaptureResult;
  'discard-capture': DiscardCaptureResult;
  upload: UploadResult;
  'write-image': WriteImageResult;
  'roll-back-image': RollBackImageResult;
  'discard-rollback': DiscardRollbackResult;
  cancel: CancelResult;
}

export type CommandResult = CommandResults[AgentCommandType];

export interface Progress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export type CommandState = 'running' | 'succeeded' | 'failed';

/** The answer to a command and to `GET /v1/commands/{id}`. */
export interface CommandStatus {
  readonly commandId: string;
  readonly type: AgentCommandType;
  readonly sliceId: string;
  readonly state: CommandState;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly progress: Progress | null;
  readonly result: CommandResult | null;
  readonly error: AgentErrorBody | null;
}
