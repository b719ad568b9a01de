import type { InputIssue } from '../shared/domain-error.ts';

/** Largest disk the contract accepts, in GiB. */
export const MAX_DISK_GB = 16_384;

/** What is wrong with a requested `diskGB` (a whole number 1–16384), if anything. */
export function diskGbIssues(diskGB: unknown, path = 'diskGB'): InputIssue[] {
  if (
    typeof diskGB !== 'number' ||
    !Number.isInteger(diskGB) ||
    diskGB < 1 ||
    diskGB > MAX_DISK_GB
  ) {
    return [{ path, message: `must be a whole number from 1 to ${MAX_DISK_GB}` }];
  }
  return [];
}
