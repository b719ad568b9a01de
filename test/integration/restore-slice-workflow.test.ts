import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { AgentCommandType } from '../../agent/protocol/commands.ts';
import { expectAccepted, expectRefusedFor, expectSliceActive } from './support/slice-checks.ts';
import { MIB, type SliceView, SnapshotBed, sameBytes } from './support/snapshot-bed.ts';

describe('the restore-slice workflow, through the real agent', () => {
  const bed = SnapshotBed.forSuite({
    heartbeatMs: 2_000,
  });

  /** Writes over the data the snapshot holds, and some more: the disk the restore replaces. */
  function damage(slice: SliceView): Promise<string> {
    bed.overwrite(slice);
    return bed.copyOfDisk(slice.id);
  }

  function rollbacksOf(sliceId: string): string[] {
    const directory = join(bed.agent.dataDir, 'slices', sliceId, 'rollbacks');
    return existsSync(directory) ? readdirSync(directory) : [];
  }

  it('puts a damaged running slice back to the snapshot byte for byte and powers it on again', async () => {
    const { token } = await bed.account();
    const { slice, snapshotId, image } = await bed.sliceWithSnapshot(token);
    const damaged = await damage(slice);

    const accepted = await bed.restore(token, snapshotId);
    const execution = await bed.finished('restore-slice', accepted.body.operation.id);

    expectAccepted(accepted, 'slice.restore', { type: 'slice', id: slice.id });
    expect(execution.status).toBe('SUCCEEDED');
    expect(sameBytes(bed.diskPath(slice.id), image)).toBe(true);
    expect(sameBytes(bed.diskPath(slice.id), damaged)).toBe(false);
    await expectSliceActive(bed, token, slice.id);
    const operation = await bed.operation(token, accepted.body.operation.id);
    expect(operation).toMatchObject({ status: 'succeeded', progress: { percent: 100 } });
    expect(operation.progress.bytesTotal).toBeGreaterThan(0);
    expect(await bed.statesEntered(accepted.body.operation.id, 'restore-slice')).toEqual(
      expect.arrayContaining([
        'PowerOffSlice',
        'WriteImage',
        'RestorePowerState',
        'CompleteRestore',
      ]),
    );
    expect(await bed.eventsOfOperation(accepted.body.operation.id, 4)).toEqual([
      'Slice Restore Started',
      'Snapshot Captured',
      'Snapshot Recycled',
      'Slice Restored',
    ]);
    expect(rollbacksOf(slice.id)).toEqual([]);
  });

  it('restores a powered-off slice and leaves it off', async () => {
    const { token } = await bed.account();
    const { slice, snapshotId, image } = await bed.sliceWithSnapshot(token);
    const off = await bed.power(token, slice.id, 'off');
    await bed.finished('change-slice-power', off.body.operation.id);
    await damage(slice);

    const accepted = await bed.restore(token, snapshotId);
    await bed.finished('restore-slice', accepted.body.operation.id);

    expect(sameBytes(bed.diskPath(slice.id), image)).toBe(true);
    expect(bed.agentPower(slice.id).power).toBe('off');
    expect(await bed.statesEntered(accepted.body.operation.id, 'restore-slice')).not.toContain(
      'PowerOffSlice',
    );
  });

  it('restores onto another slice of the account with a disk at least as large', async () => {
    const { token } = await bed.account();
    const { snapshotId, image } = await bed.sliceWithSnapshot(token);
    const other = await bed.activeSlice(token, 'other', 50, 2);

    const accepted = await bed.restore(token, snapshotId, { confirm: true, sliceId: other.id });
    await bed.finished('restore-slice', accepted.body.operation.id);

    const target = bed.diskPath(other.id);
    expect(spawnSync('cmp', ['--silent', '-n', String(1024 * MIB), target, image]).status).toBe(0);
    expect(spawnSync('stat', ['-c', '%s', target]).stdout.toString().trim()).toBe(
      String(2 * 1024 * MIB),
    );
  });

  it('replays a retried request with the same Idempotency-Key, and refuses the key with another body', async () => {
    const { token } = await bed.account();
    const { slice, snapshotId } = await bed.sliceWithSnapshot(token);
    const headers = { 'idempotency-key': `restore-${slice.id}` };
    const other = await bed.activeSlice(token, 'other');

    const first = await bed.restore(token, snapshotId, { confirm: true }, headers);
    const retried = await bed.restore(token, snapshotId, { confirm: true }, headers);
    const reused = await bed.api(token, 'POST', `/v1/snapshots/${snapshotId}/restore`, {
      body: { confirm: true, sliceId: other.id },
      headers,
    });
    await bed.finished('restore-slice', first.body.operation.id);

    expect(first.status).toBe(202);
    expect(retried.status).toBe(202);
    expect(retried.body.operation.id).toBe(first.body.operation.id);
    expect(reused.status).toBe(409);
    expect(await bed.eventsOfOperation(first.body.operation.id, 4)).toEqual([
      'Slice Restore Started',
      'Snapshot Captured',
      'Snapshot Recycled',
      'Slice Restored',
    ]);
    expect((await bed.slice(token, other.id)).status).toBe('active');
  });

  describe('refusals', () => {
    it('answers 400 without confirm: true, and nothing is locked', async () => {
      const { token } = await bed.account();
      const { slice, snapshotId } = await bed.sliceWithSnapshot(token);

      const missing = await bed.restore(token, snapshotId, {});
      const refused = await bed.restore(token, snapshotId, { confirm: false });

      for (const answer of [missing, refused]) {
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({
          errors: [{ path: 'body.confirm', message: expect.stringMatching(/must be true/) }],
        });
      }
      expect((await bed.slice(token, slice.id)).status).toBe('active');
    });

    it('answers 409 for a snapshot that is not available', async () => {
      const { token } = await bed.account();
      const slice = await bed.activeSlice(token);
      bed.front.failNext('capture', { name: 'AgentError', message: 'capture failed on purpose' });
      const accepted = await bed.requestSnapshot(token, slice.id);
      await bed.finished('create-snapshot', accepted.body.operation.id);

      const answer = await bed.restore(token, accepted.body.snapshot.id);

      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({
        code: 'SNAPSHOT_NOT_AVAILABLE',
        detail: expect.stringMatching(/is failed, not available/),
      });
    });

    it("answers 422 onto a disk smaller than the snapshot's", async () => {
      const { token } = await bed.account();
      const { snapshotId } = await bed.sliceWithSnapshot(token, { diskGB: 2 });
      const small = await bed.activeSlice(token, 'small');

      const answer = await bed.restore(token, snapshotId, { confirm: true, sliceId: small.id });

      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({
        code: 'DISK_TOO_SMALL',
        detail: expect.stringMatching(/needs a disk of at least 2147483648 bytes/),
      });
      expect((await bed.slice(token, small.id)).status).toBe('active');
    });

    it("answers 404 for another account's slice and for another account's snapshot", async () => {
      const alice = await bed.account();
      const bob = await bed.account();
      const { snapshotId } = await bed.sliceWithSnapshot(alice.token);
      const bobs = await bed.activeSlice(bob.token);

      const ontoForeignSlice = await bed.restore(alice.token, snapshotId, {
        confirm: true,
        sliceId: bobs.id,
      });
      const fromForeignSnapshot = await bed.restore(bob.token, snapshotId);

      expect(ontoForeignSlice.status).toBe(404);
      expect(ontoForeignSlice.body).toMatchObject({ code: 'SLICE_NOT_FOUND' });
      expect(fromForeignSnapshot.status).toBe(404);
      expect(fromForeignSnapshot.body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
      expect((await bed.slice(bob.token, bobs.id)).status).toBe('active');
    });

    it('answers 409 naming the operation in the way while the slice is busy', async () => {
      const { token } = await bed.account();
      const { slice, snapshotId } = await bed.sliceWithSnapshot(token);

      const { started: first, meanwhile: second } = await bed.whileReadsHeld(
        'restore-slice',
        () => bed.restore(token, snapshotId),
        () => bed.restore(token, snapshotId),
      );

      expect(first.body.operation.type).toBe('slice.restore');
      expectRefusedFor(second, 'SLICE_BUSY', first.body.operation);
      expect((await bed.slice(token, slice.id)).status).toBe('active');
    });
  });

  describe('failures', () => {
    const AGENT_FAILURES: { step: string; command: AgentCommandType }[] = [
      { step: 'PowerOffSlice', command: 'power-off' },
      { step: 'WriteImage', command: 'write-image' },
      { step: 'RestorePowerState', command: 'power-on' },
    ];

    it.each(AGENT_FAILURES)(
      'leaves the disk exactly as it was and the slice on when $step fails',
      async ({ command }) => {
        const { token } = await bed.account();
        const { slice, snapshotId } = await bed.sliceWithSnapshot(token);
        const before = await damage(slice);
        bed.front.failNext(command, {
          name: 'AgentError',
          message: `${command} failed on purpose`,
        });

        const accepted = await bed.restore(token, snapshotId);
        const execution = await bed.finished('restore-slice', accepted.body.operation.id);

        expect(execution.status).toBe('FAILED');
        expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
        expect(bed.agentPower(slice.id).power).toBe('on');
        expect(rollbacksOf(slice.id)).toEqual([]);
        expect(await bed.slice(token, slice.id)).toMatchObject({ status: 'active', power: 'on' });
        expect(await bed.operation(token, accepted.body.operation.id)).toMatchObject({
          status: 'failed',
          error: { code: 'AGENT_FAILED' },
        });
        expect(await bed.eventsOfOperation(accepted.body.operation.id, 3)).toEqual([
          'Slice Restore Started',
          'Snapshot Failed',
          'Slice Restore Failed',
        ]);
        expect(bed.captures(slice.id)).toEqual([]);
      },
    );

    it('puts the old disk back when the slice fails to power on after the swap', async () => {
      const { token } = await bed.account();
      const { slice, snapshotId } = await bed.sliceWithSnapshot(token);
      const before = await damage(slice);
      bed.front.failNext('power-on', { name: 'AgentError', message: 'power-on failed on purpose' });

      const accepted = await bed.restore(token, snapshotId);
      await bed.finished('restore-slice', accepted.body.operation.id);

      expect(await bed.statesEntered(accepted.body.operation.id, 'restore-slice')).toEqual(
        expect.arrayContaining(['WriteImage', 'RestorePowerState', 'RollBackImage']),
      );
      expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
    });

    it('leaves the disk as it was when a chunk of the image is damaged in the store', async () => {
      const { accountId, token } = await bed.account();
      const { slice, snapshotId } = await bed.sliceWithSnapshot(token);
      const [chunk] = await bed.referencedChunkKeys(accountId);
      await bed.s3.send(
        new PutObjectCommand({ Bucket: bed.bucket, Key: chunk, Body: Buffer.alloc(4 * MIB, 9) }),
      );
      const before = await damage(slice);

      const accepted = await bed.restore(token, snapshotId);
      await bed.finished('restore-slice', accepted.body.operation.id);

      expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
      expect(bed.agentPower(slice.id).power).toBe('on');
      expect(await bed.operation(token, accepted.body.operation.id)).toMatchObject({
        status: 'failed',
        error: { code: 'IMAGE_CORRUPT' },
      });
    });

    it('leaves the disk as it was when the store fails half way through the image', async () => {
      const { token } = await bed.account();
      const { slice, snapshotId } = await bed.sliceWithSnapshot(token);
      const before = await damage(slice);
      bed.store.refuseGets(bed.store.chunkGets + 1);

      try {
        const accepted = await bed.restore(token, snapshotId);
        await bed.finished('restore-slice', accepted.body.operation.id);

        expect(await bed.operation(token, accepted.body.operation.id)).toMatchObject({
          status: 'failed',
          error: { code: 'STORE_UNAVAILABLE' },
        });
      } finally {
        bed.store.refuseGets(null);
      }
      expect(sameBytes(bed.diskPath(slice.id), before)).toBe(true);
      expect(bed.agentPower(slice.id).power).toBe('on');
    });
  });

  it('keeps the snapshot from deletion while the restore reads it', async () => {
    const { token } = await bed.account();
    const { snapshotId } = await bed.sliceWithSnapshot(token);

    const { started: accepted, meanwhile: deletion } = await bed.whileReadsHeld(
      'restore-slice',
      () => bed.restore(token, snapshotId),
      () => bed.purge(token, snapshotId),
    );

    expectRefusedFor(deletion, 'SNAPSHOT_IN_USE', accepted.body.operation);
    const after = await bed.purge(token, snapshotId);
    expect(after.status).toBe(202);
    expect((await bed.snapshot(token, snapshotId)).status).toMatch(/deleting|deleted/);
  });
});
