import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectSliceActive } from './support/slice-checks.ts';
import {
  MIB,
  type OperationView,
  SnapshotBed,
  type SnapshotView,
  sameBytes,
} from './support/snapshot-bed.ts';

interface DeletionView extends OperationView {
  finalSnapshotId: string | null;
}

describe("a deleted slice's final snapshot, through the real agent", () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  function deleteWithFinalSnapshot(token: string, sliceId: string) {
    return bed.deleteSlice<DeletionView>(token, sliceId, '?finalSnapshot=true');
  }

  it('takes a billed snapshot before the disk goes, and it restores into a new slice byte for byte', async () => {
    const { token } = await bed.account();
    const slice = await bed.activeSlice(token, 'retire-me');
    bed.writeData(
      slice.id,
      [
        { offset: 0, bytes: 6 * MIB },
        { offset: 500 * MIB + 3, bytes: 3 * MIB },
        { offset: 600 * MIB, bytes: 200 * MIB },
      ],
      slice.diskBytes,
    );
    const last = await bed.copyOfDisk(slice.id);

    const accepted = await deleteWithFinalSnapshot(token, slice.id);
    const execution = await bed.finished('delete-slice', accepted.body.operation.id);

    expect(accepted.status).toBe(202);
    expect(accepted.body.operation).toMatchObject({
      type: 'slice.delete',
      finalSnapshotId: expect.stringMatching(/^snp_/),
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(existsSync(bed.diskPath(slice.id))).toBe(false);
    expect(bed.captures(slice.id)).toEqual([]);
    const finalId = accepted.body.operation.finalSnapshotId ?? '';
    const final = await bed.snapshot(token, finalId);
    expect(final).toMatchObject({
      status: 'available',
      name: expect.stringMatching(/^retire-me-final-\d{10}$/),
      sliceId: slice.id,
      consistency: 'powered-off',
    });
    // Billed as any snapshot: 200 MiB of data cost a cent a month (the usage record itself is
    // the unit test's).
    expect(final.monthlyCost.amount).toBe('0.01');
    expect(await bed.eventsOfOperation(accepted.body.operation.id, 3)).toEqual([
      'Snapshot Captured',
      'Snapshot Available',
      'Slice Deleted',
    ]);
    const revived = await bed.sliceFrom(token, finalId);
    expect(sameBytes(bed.diskPath(revived.id), last)).toBe(true);
  });

  it('keeps the slice on with its disk, and fails the final snapshot, when its upload fails', async () => {
    const { token, accountId } = await bed.account();
    const slice = await bed.activeSlice(token, 'keep-me');
    bed.writeData(slice.id, [{ offset: 0, bytes: 4 * MIB }], slice.diskBytes);
    const before = await bed.copyOfDisk(slice.id);
    const chunksBefore = await bed.chunkKeys(accountId);
    bed.front.failNext('upload', { name: 'AgentError', message: 'upload failed on purpose' });

    const accepted = await deleteWithFinalSnapshot(token, slice.id);
    const execution = await bed.finished('delete-slice', accepted.body.operation.id);

    expect(execution.status).toBe('FAILED');
    expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
    await expectSliceActive(bed, token, slice.id);
    expect(await bed.operation<DeletionView>(token, accepted.body.operation.id)).toMatchObject({
      status: 'failed',
      error: { code: 'AGENT_FAILED' },
    });
    const finalId = accepted.body.operation.finalSnapshotId ?? '';
    expect(await bed.snapshot(token, finalId)).toMatchObject({
      status: 'failed',
      error: { code: 'AGENT_FAILED' },
    });
    expect(bed.captures(slice.id)).toEqual([]);
    expect((await bed.chunkKeys(accountId)).sort()).toEqual(chunksBefore.sort());
  });

  it('leaves a powered-off slice off when its final snapshot fails', async () => {
    const { token } = await bed.account();
    const slice = await bed.activeSlice(token, 'off-one');
    const off = await bed.power(token, slice.id, 'off');
    await bed.finished('change-slice-power', off.body.operation.id);
    bed.front.failNext('capture', { name: 'AgentError', message: 'capture failed on purpose' });

    const accepted = await deleteWithFinalSnapshot(token, slice.id);
    await bed.finished('delete-slice', accepted.body.operation.id);

    expect(existsSync(bed.diskPath(slice.id))).toBe(true);
    await expectSliceActive(bed, token, slice.id, 'off');
  });

  it("answers 404 for another account's slice, taking nothing", async () => {
    const alice = await bed.account();
    const bob = await bed.account();
    const slice = await bed.activeSlice(alice.token, 'alices');

    const foreign = await deleteWithFinalSnapshot(bob.token, slice.id);

    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 'SLICE_NOT_FOUND' });
    expect((await bed.slice(alice.token, slice.id)).status).toBe('active');
    const listed = await bed.api<{ items: SnapshotView[] }>(alice.token, 'GET', '/v1/snapshots');
    expect(listed.body.items).toEqual([]);
  });
});
