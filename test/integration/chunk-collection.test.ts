import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { parseCondemnedList } from '../../agent/protocol/chunk-collection.ts';
import { parseManifest } from '../../agent/protocol/manifest.ts';
import {
  CHUNK_GRACE_SECONDS,
  chunkKeyOf,
  condemnedChunksKeyOf,
  manifestKeyOf,
} from '../../blueprint/facts.ts';
import { stateMachineArnOf } from '../../local/stepfunctions/arns.ts';
import { eventually, MIB, SnapshotBed } from './support/snapshot-bed.ts';

describe('the chunk collection through the local cloud', () => {
  const bed = SnapshotBed.forSuite({ heartbeatMs: 2_000 });

  async function text(key: string): Promise<string> {
    const object = await bed.s3.send(new GetObjectCommand({ Bucket: bed.bucket, Key: key }));
    return (await object.Body?.transformToString('utf8')) ?? '';
  }

  const hashesOf = async (accountId: string, snapshotId: string) =>
    parseManifest(await text(manifestKeyOf(accountId, snapshotId))).chunks.map(([, hash]) => hash);

  async function lastWritten(accountId: string, hash: string): Promise<Date | null> {
    try {
      const head = await bed.s3.send(
        new HeadObjectCommand({ Bucket: bed.bucket, Key: chunkKeyOf(accountId, hash) }),
      );
      return head.LastModified ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Waits for the passes that snapshots and purges ask for to end: a pass that overlaps the
   * account's sweeper only marks, and the test's own passes must be the sweeper.
   */
  async function requestedPassesEnded(): Promise<void> {
    await eventually(async () => {
      const { executions } = await bed.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: stateMachineArnOf('us-east-1', '000000000000', 'storage-mark'),
          statusFilter: 'RUNNING',
        }),
      );
      return (executions ?? []).length === 0;
    }, 'the requested storage passes to end');
  }

  /** Runs a storage pass of the account through the storage-mark workflow; answers its output. */
  async function storagePass(accountId: string, markId: string) {
    await requestedPassesEnded();
    await bed.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArnOf('us-east-1', '000000000000', 'storage-mark'),
        name: markId,
        input: JSON.stringify({ accountId, markId }),
      }),
    );
    const execution = await bed.finished('storage-mark', markId);
    expect(execution.status).toBe('SUCCEEDED');
    return JSON.parse(execution.output ?? '{}') as {
      swept: { deletedChunks: number; condemnedChunks: number };
    };
  }

  function readRegion(sliceId: string, offset: number, bytes: number): Buffer {
    const descriptor = openSync(bed.diskPath(sliceId), 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      readSync(descriptor, buffer, 0, bytes, offset);
      return buffer;
    } finally {
      closeSync(descriptor);
    }
  }

  function writeRegion(sliceId: string, offset: number, bytes: Buffer): void {
    const descriptor = openSync(bed.diskPath(sliceId), 'r+');
    try {
      writeSync(descriptor, bytes, 0, bytes.length, offset);
    } finally {
      closeSync(descriptor);
    }
  }

  it("reclaims a purged snapshot's own chunks a grace period after a pass condemned them, and an upload that needs one meanwhile writes it again", async () => {
    const { accountId, token } = await bed.account();
    const slice = await bed.activeSlice(token);
    bed.writeData(slice.id, [{ offset: 0, bytes: 8 * MIB }], slice.diskBytes);
    const purged = await bed.snapshotOf(token, slice.id, { name: 'purged' });
    const firstChunk = readRegion(slice.id, 0, 4 * MIB);
    const [h0, h1] = await hashesOf(accountId, purged.id);
    bed.writeData(slice.id, [{ offset: 0, bytes: 8 * MIB }], slice.diskBytes);
    const kept = await bed.snapshotOf(token, slice.id, { name: 'kept' });
    const keptHashes = await hashesOf(accountId, kept.id);
    const purge = await bed.api<{ operation: { id: string } }>(
      token,
      'DELETE',
      `/v1/snapshots/${purged.id}?purge=true`,
    );
    await bed.finished('delete-snapshot', purge.body.operation.id);
    const afterPurge = [
      await lastWritten(accountId, h0 ?? ''),
      await lastWritten(accountId, h1 ?? ''),
    ];

    const condemning = await storagePass(accountId, 'mrk_01JNZ5Y1Q0000000000000GC01');
    const condemned = parseCondemnedList(await text(condemnedChunksKeyOf(accountId))).chunks;
    // A snapshot whose disk holds one condemned chunk again: the upload writes it again.
    writeRegion(slice.id, 0, firstChunk);
    const beforeRewrite = new Date();
    const again = await bed.snapshotOf(token, slice.id, { name: 'again' });
    const rewrittenAt = await lastWritten(accountId, h0 ?? '');
    bed.clock.advance((CHUNK_GRACE_SECONDS + 60) * 1000);
    const sweeping = await storagePass(accountId, 'mrk_01JNZ5Y1Q0000000000000GC02');
    const verify = await bed.api<{ operation: { id: string } }>(
      token,
      'POST',
      `/v1/snapshots/${again.id}/verify`,
    );
    await bed.finished('verify-snapshot', verify.body.operation.id);
    const verified = await bed.api<{ verifyState: string }>(
      token,
      'GET',
      `/v1/snapshots/${again.id}`,
    );

    expect(afterPurge.every((written) => written !== null)).toBe(true);
    expect(condemning.swept).toMatchObject({ deletedChunks: 0, condemnedChunks: 2 });
    expect(Object.keys(condemned).sort()).toEqual([h0, h1].sort());
    expect(await hashesOf(accountId, again.id)).toContain(h0);
    expect(rewrittenAt?.getTime()).toBeGreaterThanOrEqual(beforeRewrite.getTime() - 1_000);
    expect(sweeping.swept).toMatchObject({ deletedChunks: 1, condemnedChunks: 0 });
    expect(await lastWritten(accountId, h1 ?? '')).toBeNull();
    expect(await lastWritten(accountId, h0 ?? '')).not.toBeNull();
    for (const hash of keptHashes) expect(await lastWritten(accountId, hash)).not.toBeNull();
    expect(verified.body.verifyState).toBe('ok');
  });
});
