/** One line of the benchmark table; suites return these and `bench/run.ts` prints and saves them. */
export interface BenchRow {
  readonly suite: string;
  readonly name: string;
  readonly seconds?: number;
  /** Throughput in MB/s (10^6 bytes) of the data the row is about (used data, for the pipeline). */
  readonly mbPerSecond?: number;
  /** The row's throughput against the product documentation's pessimistic 2 GB per minute. */
  readonly vsDocs?: number;
  /** The target, in words, e.g. `≥ 0.8 × store PUT`. */
  readonly target?: string;
  readonly ratio?: number;
  readonly pass?: boolean;
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  run(log: (line: string) => void): Promise<BenchRow[]>;
}

/** "A pessimistic assumption would be 2GB per minute" (the provider's snapshot help page). */
export const DOCS_MB_PER_SECOND = 2000 / 60;

export function throughputRow(
  suite: string,
  name: string,
  bytes: number,
  seconds: number,
  extra: Partial<BenchRow> = {},
): BenchRow {
  const mbPerSecond = bytes / 1e6 / seconds;
  return { suite, name, seconds, mbPerSecond, vsDocs: mbPerSecond / DOCS_MB_PER_SECOND, ...extra };
}
