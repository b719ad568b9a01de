import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectRefusedFor, expectSliceActive } from './support/slice-checks.ts';
import { MIB, type SliceView, SnapshotBed, sameBytes } from './support/snapshot-bed.ts';

describe('slice power and deletion, through the real agent', () => {
  const bed = SnapshotBed.forSuite({
    heartbeatMs: 2_000,
  });

  async function power(token: string, sliceId: string, state: 'on' | 'off') {
    const accepted = await bed.power(token, sliceId, state);
    const execution = accepted.body.operation
      ? await bed.finished('change-slice-power', accepted.body.operation.id)
      : null;
    return { accepted, execution };
  }

  describe('power', () => {
    it('powers a slice off and on again through its host, one event per change', async () => {
      const { token } = await bed.account();
      const slice = await bed.activeSlice(token);

      const off = await power(token, slice.id, 'off');
      const offState = {
        agent: bed.agentPower(slice.id).power,
        slice: await bed.slice(token, slice.id),
      };
      const on = await power(token, slice.id, 'on');

      expect(off.accepted.status).toBe(202);
      expect(off.accepted.body.operation).toMatchObject({ type: 'slice.power', status: 'running' });
      expect(off.execution?.status).toBe('SUCCEEDED');
      expect(offState).toMatchObject({ agent: 'off', slice: { status: 'active', power: 'off' } });
      expect(on.execution?.status).toBe('SUCCEEDED');
      await expectSliceActive(bed, token, slice.id);
      expect(await bed.eventsOfOperation(off.accepted.body.operation.id, 1)).toEqual([
        'Slice Power Changed',
      ]);
      expect(await bed.eventsOfOperation(on.accepted.body.operation.id, 1)).toEqual([
        'Slice Power Changed',
      ]);
    });

    it('succeeds without an event when the slice is in that state already', async () => {
      const { token } = await bed.account();
      const slice = await bed.activeSlice(token);

      const on = await power(token, slice.id, 'on');

      expect(await bed.operation(token, on.accepted.body.operation.id)).toMatchObject({
        status: 'succeeded',
      });
      expect(await bed.eventsOfOperation(on.accepted.body.operation.id, 0)).toEqual([]);
    });

    it('leaves the slice on and unlocked when its host fails to power it off', async () => {
      const { token } = await bed.account();
      const slice = await bed.activeSlice(token);
      bed.front.failNext('power-off', { name: 'PowerTimeout', message: 'the guest hung' });

      const off = await power(token, slice.id, 'off');

      expect(off.execution?.status).toBe('FAILED');
      expect(await bed.operation(token, off.accepted.body.operation.id)).toMatchObject({
        status: 'failed',
        error: { code: 'POWER_TIMEOUT' },
      });
      await expectSliceActive(bed, token, slice.id);
    });

    it('answers 409 naming the operation in the way, and 400 for a state that is not on or off', async () => {
      const { token } = await bed.account();
      const slice = await bed.activeSlice(token);
      bed.store.fault('slow', { delayMs: 2_000 });
      bed.writeData(slice.id, [{ offset: 0, bytes: MIB }], slice.diskBytes);
      try {
        const snapshot = await bed.requestSnapshot(token, slice.id);

        const busy = await power(token, slice.id, 'off');
        const invalid = await bed.api(token, 'POST', `/v1/slices/${slice.id}/power`, {
          body: { state: 'reboot' },
        });

        expect(snapshot.body.operation.type).toBe('snapshot.create');
        expectRefusedFor(busy.accepted, 'SLICE_BUSY', snapshot.body.operation);
        expect(invalid.status).toBe(400);
        expect(invalid.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          errors: [{ path: 'body.state' }],
        });
        await bed.finished('create-snapshot', snapshot.body.operation.id);
      } finally {
        bed.store.fault('none');
      }
    });
  });

  describe('deletion', () => {
    it('deletes the slice and its disk; its snapshot stays listed, billed and restorable into a new slice', async () => {
      const { token } = await bed.account();
      const slice = await bed.activeSlice(token, 'archive-me');
      bed.writeData(slice.id, [{ offset: 0, bytes: 6 * MIB }], slice.diskBytes);
      const snapshot = await bed.snapshotOf(token, slice.id, { name: 'archive' });
      const image = await bed.copyOfDisk(slice.id);

      const accepted = await bed.deleteSlice(token, slice.id);
      const execution = await bed.finished('delete-slice', accepted.body.operation.id);

      expect(accepted.status).toBe(202);
      expect(accepted.body.operation).toMatchObject({ type: 'slice.delete', resourceId: slice.id });
      expect(execution.status).toBe('SUCCEEDED');
      expect(existsSync(bed.diskPath(slice.id))).toBe(false);
      expect(await bed.slice(token, slice.id)).toMatchObject({ status: 'deleted', power: 'off' });
      const slices = await bed.api<{ items: SliceView[] }>(token, 'GET', '/v1/slices');
      expect(slices.body.items.map((each) => each.id)).not.toContain(slice.id);
      const kept = await bed.snapshot(token, snapshot.id);
      expect(kept).toMatchObject({
        status: 'available',
        sliceId: slice.id,
        sliceName: 'archive-me',
      });
      expect(await bed.eventsOfOperation(accepted.body.operation.id, 1)).toEqual(['Slice Deleted']);
      const restoreOntoNothing = await bed.api(
        token,
        'POST',
        `/v1/snapshots/${snapshot.id}/restore`,
        {
          body: { confirm: true },
        },
      );
      expect(restoreOntoNothing.status).toBe(409);
      expect(restoreOntoNothing.body).toMatchObject({
        code: 'SOURCE_SLICE_DELETED',
        detail: expect.stringMatching(/create a new slice from the snapshot instead/),
      });
      const revived = await bed.sliceFrom(token, snapshot.id);
      expect(sameBytes(bed.diskPath(revived.id), image)).toBe(true);
      // Still billed: an hour of the cloud's time later, the month's estimate runs its line up to
      // the second it is read, past the slice's deletion.
      const deletedAt = execution.stopDate?.getTime() ?? Number.NaN;
      bed.clock.advance(60 * 60 * 1000);
      const readAt = Math.floor(bed.clock.nowMs() / 1000) * 1000;
      const month = new Date(readAt).toISOString().slice(0, 7);
      const charges = await bed.api<{ lines: { snapshotId: string; to: string }[] }>(
        token,
        'GET',
        `/v1/billing/charges?month=${month}`,
      );
      const billedTo = charges.body.lines.find((each) => each.snapshotId === snapshot.id)?.to;
      expect(Date.parse(billedTo ?? '')).toBeGreaterThan(deletedAt);
      expect(Date.parse(billedTo ?? '')).toBeGreaterThanOrEqual(readAt);
    });

    it('keeps the slice running and its disk when its host fails to delete it', async () => {
      const { token } = await bed.account();
      const slice = await bed.activeSlice(token);
      bed.writeData(slice.id, [{ offset: 0, bytes: MIB }], slice.diskBytes);
      const before = await bed.copyOfDisk(slice.id);
      bed.front.failNext('delete-disk', { name: 'AgentError', message: 'the host disk failed' });

      const accepted = await bed.deleteSlice(token, slice.id);
      const execution = await bed.finished('delete-slice', accepted.body.operation.id);

      expect(execution.status).toBe('FAILED');
      expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
      await expectSliceActive(bed, token, slice.id);
      expect(await bed.operation(token, accepted.body.operation.id)).toMatchObject({
        status: 'failed',
        error: { code: 'AGENT_FAILED' },
      });
    });

    it("answers 404 for another account's slice, and for a slice deleted already", async () => {
      const alice = await bed.account();
      const bob = await bed.account();
      const slice = await bed.activeSlice(alice.token);

      const foreign = await bed.api(bob.token, 'DELETE', `/v1/slices/${slice.id}`);
      const first = await bed.deleteSlice(alice.token, slice.id);
      await bed.finished('delete-slice', first.body.operation.id);
      const again = await bed.api(alice.token, 'DELETE', `/v1/slices/${slice.id}`);

      expect(foreign.status).toBe(404);
      expect(first.status).toBe(202);
      expect(again.status).toBe(404);
    });
  });
});
