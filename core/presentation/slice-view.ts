import type { Labels } from '../labels/labels.ts';
import { bytesToDisplayGib } from '../shared/sizes.ts';
import type { Slice } from '../slices/slice.ts';
import type { PowerState, SliceStatus } from '../slices/slice-status.ts';

/** A slice as CONTRACT.md shows it. */
export interface SliceView {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly status: SliceStatus;
  readonly power: PowerState;
  readonly diskGB: number;
  readonly diskBytes: number;
  readonly usedBytes: number;
  readonly createdAt: string;
  readonly fromSnapshotId: string | null;
  readonly labels: Labels;
  readonly deleteProtected: boolean;
}

/** The public view of a slice: no account, host or lock internals. */
export function viewSlice(slice: Slice): SliceView {
  return {
    id: slice.id,
    name: slice.name,
    region: slice.region,
    status: slice.status,
    power: slice.power,
    diskGB: bytesToDisplayGib(slice.diskBytes),
    diskBytes: slice.diskBytes,
    usedBytes: slice.usedBytes,
    createdAt: slice.createdAt,
    fromSnapshotId: slice.fromSnapshotId,
    labels: slice.labels,
    deleteProtected: slice.deleteProtected,
  };
}
