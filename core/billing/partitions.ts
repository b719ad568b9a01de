/**
 * Billing work is split into this many partitions of accounts. Each partition is read with its
 * own index queries and can be run by its own invocation (the unit of the Step Functions Map
 * fan-out), so the count bounds what one invocation reads: a million snapshots make ~62,500 each.
 */
export const BILLING_PARTITIONS = 16;

/** Every partition number, `0` to `BILLING_PARTITIONS - 1`. */
export const ALL_BILLING_PARTITIONS: readonly number[] = Array.from(
  { length: BILLING_PARTITIONS },
  (_, partition) => partition,
);

/**
 * The partition an account's usage lives in: a stable hash (32-bit FNV-1a) of the account id, so
 * that all of one account is in one partition and accounts spread evenly over the partitions.
 */
export function billingPartitionOf(accountId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < accountId.length; index += 1) {
    hash ^= accountId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % BILLING_PARTITIONS;
}

/** True when every partition is in `partitionsDone`: the month's run after month end is complete. */
export function allPartitionsDone(partitionsDone: readonly number[]): boolean {
  const done = new Set(partitionsDone);
  return ALL_BILLING_PARTITIONS.every((partition) => done.has(partition));
}
