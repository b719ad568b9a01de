/**
 * How many slices each host holds, for least-loaded placement. Counting is per slice, so a retried
 * claim or release never counts a slice twice.
 */
export interface HostLoad {
  /** The number of slices on each of `hostIds` (0 for a host with none). */
  slicesOn(hostIds: readonly string[]): Promise<ReadonlyMap<string, number>>;

  /** Counts `sliceId` on `hostId`, once: claiming it again changes nothing. */
  claim(hostId: string, sliceId: string): Promise<void>;

  /** Stops counting `sliceId` on `hostId`, once: a slice not counted there changes nothing. */
  release(hostId: string, sliceId: string): Promise<void>;
}
