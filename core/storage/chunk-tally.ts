import type { AccountStorage, SliceStorage, SnapshotStorage } from './account-storage.ts';

/** One live snapshot's manifest as the mark pass reads it. */
export interface MarkedManifest {
  readonly snapshotId: string;
  readonly sliceId: string;
  /** Bytes in the non-zero chunks of the disk: what it holds before sharing and compression. */
  readonly usedBytes: number;
  /** Whether it is billed now (available), for the account's monthly cost. */
  readonly billed: boolean;
  /** The chunks it names, each with the bytes its stored (compressed) object takes. */
  readonly chunks: ReadonlyArray<readonly [key: string, storedBytes: number]>;
}

/**
 * The tally's name of a chunk: its key in the store of its region. Each region stores its own copy,
 * so the same key in two regions is two chunks, each freed only when its own region's snapshots
 * no longer name it.
 */
export function regionalChunk(regionId: string, key: string): string {
  return `${regionId}:${key}`;
}

/** What the tally keeps of a marked snapshot. */
interface MarkedSnapshot {
  readonly snapshotId: string;
  readonly sliceId: string;
  readonly usedBytes: number;
  readonly billed: boolean;
  readonly storedBytes: number;
}

/** Owner index of a chunk that more than one snapshot (or slice) names. */
const SHARED = -1;

/**
 * `[stored bytes, index of the one snapshot naming it or SHARED, index of the one slice or SHARED]`.
 * Owners rather than reference counts: exclusive bytes only need to know whether a second snapshot
 * names a chunk, which keeps the tally small enough to carry from one page to the next.
 */
type ChunkEntry = [storedBytes: number, snapshot: number, slice: number];

/** The tally as it is stored between the pages of one mark pass: plain JSON. */
export interface ChunkTallyState {
  readonly snapshots: readonly MarkedSnapshot[];
  readonly slices: readonly string[];
  readonly chunks: ReadonlyArray<readonly [key: string, ...ChunkEntry]>;
}

/**
 * The mark pass of one account: every live chunk, with its stored size and whether one snapshot
 * (and one slice) alone names it. Manifests are added a page at a time; the tally is saved between
 * pages ({@link ChunkTally.state}) and, once every live manifest is in, yields each snapshot's
 * stored and exclusive bytes and the account's totals. A class because the tally is state that
 * grows by the page, over tens of thousands of chunks, where copying it on every add would cost.
 */
export class ChunkTally {
  readonly #snapshots: MarkedSnapshot[];
  readonly #marked: Set<string>;
  readonly #slices: string[];
  readonly #sliceIndex: Map<string, number>;
  readonly #chunks: Map<string, ChunkEntry>;

  constructor(state?: ChunkTallyState) {
    this.#snapshots = [...(state?.snapshots ?? [])];
    this.#marked = new Set(this.#snapshots.map((each) => each.snapshotId));
    this.#slices = [...(state?.slices ?? [])];
    this.#sliceIndex = new Map(this.#slices.map((sliceId, index) => [sliceId, index]));
    this.#chunks = new Map(
      (state?.chunks ?? []).map(([key, storedBytes, snapshot, slice]) => [
        key,
        [storedBytes, snapshot, slice],
      ]),
    );
  }

  /** Snapshots marked so far. */
  get snapshotCount(): number {
    return this.#snapshots.length;
  }

  /** Distinct chunks marked so far. */
  get chunkCount(): number {
    return this.#chunks.size;
  }

  /** Whether a marked snapshot names the chunk stored under `key`. */
  names(key: string): boolean {
    return this.#chunks.has(key);
  }

  /** Whether the snapshot's manifest was marked. */
  marked(snapshotId: string): boolean {
    return this.#marked.has(snapshotId);
  }

  /**
   * Marks every chunk a live snapshot names. A manifest naming a chunk twice counts it once, and a
   * snapshot marked already is not marked again: a retried page, or a snapshot that moved into the
   * recycle bin between two pages and is listed twice, counts once.
   */
  add(manifest: MarkedManifest): void {
    if (this.#marked.has(manifest.snapshotId)) return;
    this.#marked.add(manifest.snapshotId);
    const snapshotIndex = this.#snapshots.length;
    const sliceIndex = this.#indexOfSlice(manifest.sliceId);
    const distinct = new Map(manifest.chunks);
    let storedBytes = 0;
    for (const [key, size] of distinct) {
      storedBytes += size;
      const entry = this.#chunks.get(key);
      if (entry === undefined) {
        this.#chunks.set(key, [size, snapshotIndex, sliceIndex]);
        continue;
      }
      entry[1] = SHARED;
      if (entry[2] !== sliceIndex) entry[2] = SHARED;
    }
    this.#snapshots.push({
      snapshotId: manifest.snapshotId,
      sliceId: manifest.sliceId,
      usedBytes: manifest.usedBytes,
      billed: manifest.billed,
      storedBytes,
    });
  }

  /** The tally as plain JSON, to be taken up again by the next page's step. */
  state(): ChunkTallyState {
    return {
      snapshots: this.#snapshots,
      slices: this.#slices,
      chunks: [...this.#chunks].map(([key, entry]) => [key, ...entry] as const),
    };
  }

  /** The figures once every live manifest of the account is marked, as of `asOf`. */
  result(accountId: string, asOf: string): AccountStorage {
    const exclusiveBySnapshot = new Array<number>(this.#snapshots.length).fill(0);
    const exclusiveBySlice = new Array<number>(this.#slices.length).fill(0);
    let storedBytes = 0;
    for (const [size, snapshot, slice] of this.#chunks.values()) {
      storedBytes += size;
      if (snapshot !== SHARED)
        exclusiveBySnapshot[snapshot] = (exclusiveBySnapshot[snapshot] ?? 0) + size;
      if (slice !== SHARED) exclusiveBySlice[slice] = (exclusiveBySlice[slice] ?? 0) + size;
    }
    const snapshots: Record<string, SnapshotStorage> = {};
    const slices = this.#slices.map((sliceId, index) => ({
      sliceId,
      snapshots: 0,
      logicalBytes: 0,
      billedBytes: 0,
      exclusiveBytes: exclusiveBySlice[index] ?? 0,
    }));
    let logicalBytes = 0;
    let billedBytes = 0;
    this.#snapshots.forEach((marked, index) => {
      snapshots[marked.snapshotId] = {
        storedBytes: marked.storedBytes,
        exclusiveBytes: exclusiveBySnapshot[index] ?? 0,
      };
      const billed = marked.billed ? marked.usedBytes : 0;
      logicalBytes += marked.usedBytes;
      billedBytes += billed;
      const slice = slices[this.#sliceIndex.get(marked.sliceId) ?? SHARED];
      if (slice === undefined) return;
      slice.snapshots += 1;
      slice.logicalBytes += marked.usedBytes;
      slice.billedBytes += billed;
    });
    const bySlice: readonly SliceStorage[] = slices.sort((one, other) =>
      one.sliceId < other.sliceId ? -1 : 1,
    );
    return { accountId, asOf, logicalBytes, storedBytes, billedBytes, snapshots, bySlice };
  }

  #indexOfSlice(sliceId: string): number {
    const known = this.#sliceIndex.get(sliceId);
    if (known !== undefined) return known;
    this.#slices.push(sliceId);
    this.#sliceIndex.set(sliceId, this.#slices.length - 1);
    return this.#slices.length - 1;
  }
}
