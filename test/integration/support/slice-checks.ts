import { expect } from 'vitest';
import type { OperationView, SnapshotBed } from './snapshot-bed.ts';

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

/**
 * Checks that `answer` is a 409 with `code` naming the operation in the way: its id and type as
 * fields and together in the detail.
 */
export function expectRefusedFor(
  answer: { status: number; body: unknown },
  code: string,
  inTheWay: Pick<OperationView, 'id' | 'type'>,
): void {
  expect(answer.status).toBe(409);
  expect(answer.body).toMatchObject({
    code,
    operationId: inTheWay.id,
    operationType: inTheWay.type,
    detail: expect.stringContaining(`${inTheWay.id} (${inTheWay.type})`),
  });
}

/** Checks that `answer` is a 202 with a running operation of `type` on the resource named. */
export function expectAccepted(
  answer: { status: number; body: { operation: OperationView } },
  type: string,
  resource: { readonly type: 'slice' | 'snapshot'; readonly id: string },
): void {
  expect(answer.status).toBe(202);
  expect(answer.body.operation).toMatchObject({
    type,
    status: 'running',
    resourceType: resource.type,
    resourceId: resource.id,
  });
}
