import type { CaptureResult, PowerResult, StatusResult } from '../protocol/commands.ts';
import type { ByteRange } from './data-regions.ts';

/** What a scan of a disk found. */
export interface DiskScan {
  readonly diskBytes: number;
  readonly dataRegions: readonly ByteRange[];
  readonly changedBytes: number | null;
}

/** A captured disk, read by the upload pipeline through a file descriptor. */
export interface ReadableDisk {
  readonly fd: number;
  readonly sizeBytes: number;
  /** Regions that may hold data; everything else reads as zeros and is never read. */
  dataRegions(): Promise<ByteRange[]>;
  /**
   * Set when the capture holds only what changed since snapshot `baseSnapshotId` was captured:
   * `regions` were written since (read them), everything else is as in that snapshot's image.
   */
  readonly changes?: { readonly baseSnapshotId: string; readonly regions: readonly ByteRange[] };
  close(): Promise<void>;
}

/** A new disk being written beside the slice's disk, swapped in only by `commit`. */
export interface WritableDisk {
  readonly fd: number;
  readonly sizeBytes: number;
  /** Makes the new disk durable and swaps it in atomically. */
  commit(): Promise<void>;
  /** Throws the new disk away; the slice's disk is as it was. */
  abort(): Promise<void>;
}

/**
 * What the agent needs from a hypervisor. The image pipeline only sees `ReadableDisk` and
 * `WritableDisk`, so a QEMU/libvirt driver (qcow2 + `blockdev-backup`, an LVM snapshot or an NBD
 * export) fits without touching it. Errors are `AgentFailure`s with protocol names.
 */
export interface DiskDriver {
  /** Cleans what a crash left behind (partial captures, half-written new disks). */
  recover(): Promise<void>;
  status(sliceId: string): Promise<StatusResult>;
  /**
   * Where the disk holds data now (holes skipped), and the bytes written since one of
   * `baseSnapshotIds` was captured where the driver tracks changed blocks (else null).
   * `DiskNotFound` if there is no disk.
   */
  scan(sliceId: string, baseSnapshotIds: readonly string[]): Promise<DiskScan>;
  /** A blank disk, powered off. `DiskExists` if the slice has one. */
  createDisk(sliceId: string, sizeBytes: number): Promise<{ diskBytes: number }>;
  /** The disk and its captures. `DiskNotFound` if there is none. */
  deleteDisk(sliceId: string): Promise<void>;
  powerOn(sliceId: string): Promise<PowerResult>;
  /** Graceful first; the power is cut once `gracefulTimeoutMs` has passed. */
  powerOff(sliceId: string, gracefulTimeoutMs: number): Promise<PowerResult>;
  /**
   * A point-in-time copy that survives the slice running again. Idempotent per captureId. With
   * `baseSnapshotIds`, a driver that tracks changed blocks may copy only what changed since one of
   * them was captured (the capture's `changes` then say so).
   */
  capture(
    sliceId: string,
    captureId: string,
    onProgress: (bytesDone: number, bytesTotal: number) => void,
    options?: { readonly baseSnapshotIds?: readonly string[]; readonly signal?: AbortSignal },
  ): Promise<CaptureResult>;
  /** `CaptureNotFound` if there is no such capture. */
  openCapture(sliceId: string, captureId: string): Promise<ReadableDisk>;
  /** Idempotent: false when there was nothing to discard. */
  discardCapture(sliceId: string, captureId: string): Promise<boolean>;
  /**
   * A new, blank disk of `sizeBytes` beside the slice's disk (or in place of a missing one).
   * With `rollbackId`, committing it keeps the disk it replaces under that id (unless one is kept
   * there already: a retried write keeps the first). `SlicePoweredOn` if the slice runs.
   */
  prepareImageTarget(
    sliceId: string,
    sizeBytes: number,
    options?: { rollbackId?: string },
  ): Promise<WritableDisk>;
  /**
   * Puts the disk kept as `rollbackId` back in place of the slice's disk, atomically; false when
   * none is kept. `SlicePoweredOn` if one is kept and the slice runs.
   */
  rollBack(sliceId: string, rollbackId: string): Promise<boolean>;
  /** Drops the disk kept as `rollbackId`; idempotent: false when there was none. */
  discardRollback(sliceId: string, rollbackId: string): Promise<boolean>;
  /** The slice's disk size, or null without a disk. */
  diskSize(sliceId: string): Promise<number | null>;
}
