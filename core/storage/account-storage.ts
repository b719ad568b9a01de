/** What one snapshot holds in the store, as the last mark pass found it. */
export interface SnapshotStorage {
  /** Stored (compressed) bytes of the distinct chunks its manifest names. */
  readonly storedBytes: number;
  /** Stored bytes of the chunks no other live snapshot of the account names: what deleting it frees. */
  readonly exclusiveBytes: number;
}

/** What one slice's live snapshots hold together. */
export interface SliceStorage {
  readonly sliceId: string;
  /** Its live snapshots (available, in the recycle bin, or being taken). */
  readonly snapshots: number;
  /** Sum of its snapshots' used bytes. */
  readonly logicalBytes: number;
  /** Sum of the used bytes of those billed now (available): what the month's price is on. */
  readonly billedBytes: number;
  /** Stored bytes no other slice's snapshot names: what deleting all its snapshots frees. */
  readonly exclusiveBytes: number;
}

/**
 * An account's storage as one mark pass found it at `asOf`: the totals over its live snapshots,
 * each snapshot's figures, and a line per slice.
 */
export interface AccountStorage {
  readonly accountId: string;
  /** When the pass began: every manifest it read was stored then or later. */
  readonly asOf: string;
  /** Sum of the live snapshots' used bytes: what they would take with no sharing. */
  readonly logicalBytes: number;
  /** Stored bytes of the distinct live chunks: what the account really takes in the store. */
  readonly storedBytes: number;
  /** Sum of the used bytes of the snapshots billed now. */
  readonly billedBytes: number;
  /** By snapshot id. */
  readonly snapshots: Readonly<Record<string, SnapshotStorage>>;
  /** By slice id (slice ids are ULIDs: oldest slice first). */
  readonly bySlice: readonly SliceStorage[];
}

/**
 * How many times smaller the store makes the live snapshots, sharing and compression together:
 * logical over stored bytes, to 2 decimals; 1 for an account that stores nothing.
 */
export function dedupRatioOf(
  storage: Pick<AccountStorage, 'logicalBytes' | 'storedBytes'>,
): number {
  if (storage.storedBytes === 0) return 1;
  return Math.round((storage.logicalBytes / storage.storedBytes) * 100) / 100;
}

/** What a snapshot holds and has cost: the figures a user sees beside it. */
export interface SnapshotAccounting {
  /** As the account's latest mark pass found it; null until a pass marked the snapshot. */
  readonly storage: SnapshotStorage | null;
  /** What it has cost so far this month (UTC), in whole cents as the charges round each line. */
  readonly costToDateCents: bigint;
}

/** The accounting of a snapshot that was never marked nor billed: a new one. */
export const NOT_ACCOUNTED: SnapshotAccounting = { storage: null, costToDateCents: 0n };
