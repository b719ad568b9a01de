import { expect } from 'vitest';
import type { SnapshotBed } from './snapshot-bed.ts';

/** Checks that the slice is active and in `power` for the API, and in `power` for its host. */
export async function expectSliceActive(
  bed: SnapshotBed,
  token: string,
  sliceId: string,
  power: 'on' | 'off' = 'on',
): Promise<void> {
  expect(await bed.slice(token, sliceId)).toMatchObject({ status: 'active', power });
  expect(bed.agentPower(sliceId).power).toBe(power);
}
