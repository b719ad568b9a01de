/** How many of its latest measurements a rate is taken over. */
const KEPT = 5;

/** The median of a few measurements: one slow upload (a busy store) does not skew a quote. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * What this host measured of its own work since the agent started: how fast its uploads read and
 * send chunks, how fast its captures copy a disk, and how long guests take to shut down. Quotes
 * read them; each is null until the host has measured one.
 */
export class HostRates {
  readonly #uploads: number[] = [];
  readonly #captures: number[] = [];
  readonly #shutdowns: number[] = [];

  #keep(into: number[], value: number): void {
    if (!Number.isFinite(value) || value <= 0) return;
    into.push(value);
    if (into.length > KEPT) into.shift();
  }

  /** An upload read `bytes` (the chunks it read and hashed) in `seconds`. */
  upload(bytes: number, seconds: number): void {
    if (bytes > 0) this.#keep(this.#uploads, bytes / Math.max(seconds, 0.001));
  }

  /** A capture of a disk of `diskBytes` took `seconds`. */
  capture(diskBytes: number, seconds: number): void {
    this.#keep(this.#captures, diskBytes / Math.max(seconds, 0.001));
  }

  /** A guest shut down gracefully in `seconds`. */
  shutdown(seconds: number): void {
    this.#keep(this.#shutdowns, seconds);
  }

  get uploadBytesPerSecond(): number | null {
    return median(this.#uploads);
  }

  get captureBytesPerSecond(): number | null {
    return median(this.#captures);
  }

  get shutdownSeconds(): number | null {
    return median(this.#shutdowns);
  }
}
