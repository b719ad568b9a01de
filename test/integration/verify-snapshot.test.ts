import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { type OperationView, SnapshotBed, type SnapshotView } from './support/snapshot-bed.ts';

interface VerifiedView extends SnapshotView {
  verifyState: string;
  verifiedAt: string | null;
}

describe('verifying a snapshot, through the real store', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  /** Asks for a verification and waits for its workflow; answers the operation as it ended. */
  async function verify(token: string, snapshotId: string): Promise<OperationView> {
    const accepted = await bed.api<{ operation: OperationView }>(
      token,
      'POST',
      `/v1/snapshots/${snapshotId}/verify`,
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body.operation).toMatchObject({ type: 'snapshot.verify', status: 'running' });
    const execution = await bed.finished('verify-snapshot', accepted.body.operation.id);
    expect(execution.status).toBe('SUCCEEDED');
    return bed.operation(token, accepted.body.operation.id);
  }

  async function snapshotView(token: string, snapshotId: string): Promise<VerifiedView> {
    return (await bed.api<VerifiedView>(token, 'GET', `/v1/snapshots/${snapshotId}`)).body;
  }

  /** Flips one bit of a stored object, keeping how it is stored, as a failing disk would. */
  async function flipAByte(key: string): Promise<void> {
    const object = await bed.s3.send(new GetObjectCommand({ Bucket: bed.bucket, Key: key }));
    const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    const at = Math.floor(bytes.length / 2);
    bytes.writeUInt8((bytes.readUInt8(at) ^ 0x10) & 0xff, at);
    await bed.s3.send(
      new PutObjectCommand({
        Bucket: bed.bucket,
        Key: key,
        Body: bytes,
        ...(object.Metadata ? { Metadata: object.Metadata } : {}),
      }),
    );
  }

  it('finds every chunk whole in a fresh snapshot, then a flipped byte, and restores refuse it', async () => {
    const { accountId, token, slice } = await bed.sliceWithData(3);
    const snapshot = await bed.snapshotOf(token, slice.id);
    expect((await snapshotView(token, snapshot.id)).verifyState).toBe('unverified');

    const whole = await verify(token, snapshot.id);
    const verified = await snapshotView(token, snapshot.id);
    const [chunk] = await bed.referencedChunkKeys(accountId);
    await flipAByte(chunk ?? '');
    const damaged = await verify(token, snapshot.id);
    const corrupt = await snapshotView(token, snapshot.id);
    const restore = await bed.api(token, 'POST', `/v1/snapshots/${snapshot.id}/restore`, {
      body: { confirm: true },
    });
    const newSlice = await bed.api(token, 'POST', '/v1/slices', {
      body: { name: 'from-corrupt', region: 'fra1', diskGB: 1, snapshotId: snapshot.id },
    });

    expect(whole).toMatchObject({ status: 'succeeded', progress: { percent: 100 } });
    expect(whole.progress.bytesTotal).toBe(snapshot.sizeBytes);
    expect(verified).toMatchObject({ verifyState: 'ok', verifiedAt: expect.any(String) });
    expect(damaged.status).toBe('succeeded');
    expect(corrupt.verifyState).toBe('corrupt');
    expect(
      corrupt.verifiedAt && verified.verifiedAt && corrupt.verifiedAt > verified.verifiedAt,
    ).toBe(true);
    expect(await bed.eventDetail(snapshot.id, 'Snapshot Corrupt')).toMatchObject({
      accountId,
      snapshotId: snapshot.id,
      operationId: damaged.id,
      damagedChunks: 1,
      manifestDamaged: false,
    });
    expect(await bed.eventsOf(snapshot.id, 4)).toEqual([
      'Snapshot Requested',
      'Snapshot Captured',
      'Snapshot Available',
      'Snapshot Corrupt',
    ]);
    expect(restore.status).toBe(409);
    expect(restore.body).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    expect(newSlice.status).toBe(409);
    expect(newSlice.body).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
  });

  it("answers 404 for another account's snapshot and starts nothing", async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const snapshot = await bed.snapshotOf(token, slice.id);
    const other = await bed.account();

    const answer = await bed.api(other.token, 'POST', `/v1/snapshots/${snapshot.id}/verify`);

    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    expect((await snapshotView(token, snapshot.id)).verifyState).toBe('unverified');
  });
});

describe('a verification whose step fails', () => {
  // Its reading step is given a position no image has, which the step refuses: a failure that no
  // retry mends, so the workflow takes its Catch (its retries of any error, meant for the
  // store's hiccups, are cut to none, so the test does not wait half a minute for them).
  const bed = SnapshotBed.forSuite({
    heartbeatMs: 2_000,
    adjustDefinition: (workflow, definition) =>
      workflow === 'verify-snapshot'
        ? definition
            .replace('"next.$": "$.verification.next"', '"next": -1')
            .replaceAll('"MaxAttempts": 5', '"MaxAttempts": 0')
        : definition,
  });

  it('fails the operation and leaves the snapshot as it was', async () => {
    const { token, slice } = await bed.sliceWithData(1);
    const snapshot = await bed.snapshotOf(token, slice.id);

    const accepted = await bed.api<{ operation: OperationView }>(
      token,
      'POST',
      `/v1/snapshots/${snapshot.id}/verify`,
    );
    const execution = await bed.finished('verify-snapshot', accepted.body.operation.id);

    expect(execution.status).toBe('FAILED');
    expect(await bed.statesEntered(accepted.body.operation.id, 'verify-snapshot')).toEqual(
      expect.arrayContaining(['VerifyChunks', 'FailVerification']),
    );
    expect(await bed.operation(token, accepted.body.operation.id)).toMatchObject({
      status: 'failed',
      error: { code: 'WORKFLOW_FAILED' },
    });
    const after = await bed.api<VerifiedView>(token, 'GET', `/v1/snapshots/${snapshot.id}`);
    expect(after.body).toMatchObject({ verifyState: 'unverified', verifiedAt: null });
  });
});
