import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningAgent, startAgent } from '../../../agent/agent.ts';
import { readConfig } from '../../../agent/config.ts';
import { diskPathOf } from '../../../agent/disk/file-driver.ts';
import { createLogger } from '../../../agent/log.ts';
import type { UploadResult } from '../../../agent/protocol/commands.ts';
import { SIGNATURE_HEADERS, signRequest } from '../../../agent/protocol/signing.ts';
import { chunkKeyOf } from '../../../blueprint/facts.ts';
import { localS3Config } from '../../../local/s3.ts';
import { tempDirPerFile } from '../../support/temp-dir.ts';
import { signedRequest } from './support/agent-client.ts';
import { type CallbackReceiver, startCallbackReceiver } from './support/callback-receiver.ts';
import { expectSameContent, MiB, writeAt } from './support/disks.ts';
import { type StoreProxy, startStoreProxy } from './support/store-proxy.ts';

const HOST = 'host-test-a';
const SECRET = randomBytes(32).toString('hex');
const dataDir = tempDirPerFile('agent-commands-');
let agent: RunningAgent;
let proxy: StoreProxy;
let receiver: CallbackReceiver;
let s3: S3Client;
const bucket = inject('imagesBucket');

beforeAll(async () => {
  proxy = await startStoreProxy(inject('s3Endpoint'));
  receiver = await startCallbackReceiver(HOST, SECRET);
  s3 = new S3Client(localS3Config(inject('s3Endpoint')));
  const credentials = localS3Config(inject('s3Endpoint')).credentials as {
    accessKeyId: string;
    secretAccessKey: string;
  };
  const config = readConfig({
    AGENT_HOST_ID: HOST,
    AGENT_SECRET: SECRET,
    AGENT_DATA_DIR: dataDir.path,
    AGENT_S3_BUCKET: bucket,
    AGENT_S3_ENDPOINT: proxy.endpoint,
    AGENT_S3_FORCE_PATH_STYLE: 'true',
    AGENT_S3_ACCESS_KEY_ID: credentials.accessKeyId,
    AGENT_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AGENT_S3_TIMEOUT_MS: '1500',
    AGENT_S3_MAX_ATTEMPTS: '2',
    AGENT_HEARTBEAT_MS: '50',
    AGENT_CONCURRENCY: '4',
    AGENT_WORKERS: '2',
  });
  agent = await startAgent(config, { log: createLogger({}, true) });
});

afterAll(async () => {
  await agent?.close();
  await receiver?.close();
  await proxy?.close();
  s3?.destroy();
});

const send = (body: Record<string, unknown>) =>
  signedRequest(agent.url, {
    hostId: HOST,
    secret: SECRET,
    body: { commandId: randomUUID(), ...body },
  });

/** Sends a command with a callback and waits for its outcome. */
async function run(body: Record<string, unknown>) {
  const taskToken = randomUUID();
  const response = await send({ ...body, callback: { url: receiver.url, taskToken } });
  expect(response.status).toBe(202);
  const outcome = await receiver.next(taskToken, ['success', 'failure']);
  return { taskToken, outcome, response };
}

/** Uploads the slice's capture `snp_1` as the account's snapshot `snp_1`, waiting for its outcome. */
function uploadCapture(sliceId: string, accountId: string) {
  return run({ type: 'upload', sliceId, captureId: 'snp_1', accountId, snapshotId: 'snp_1' });
}

async function createDiskWith(sliceId: string, size: number, data: Buffer) {
  const created = await send({ type: 'create-disk', sliceId, sizeBytes: size });
  expect(created.status).toBe(200);
  writeAt(diskPathOf(dataDir.path, sliceId), [[0, data]]);
}

async function manifestExists(accountId: string, snapshotId: string): Promise<boolean> {
  const key = `${accountId}/snapshots/${snapshotId}/manifest.json`;
  return s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );
}

describe('agent authentication', () => {
  const body = JSON.stringify({ commandId: 'auth-1', type: 'status', sliceId: 'slc_none' });
  const post = (headers: Record<string, string>) =>
    fetch(`${agent.url}/v1/commands`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
  const signed = (secret: string, now = Date.now()) =>
    signRequest(secret, { method: 'POST', path: '/v1/commands', hostId: HOST, body }, { now });

  it('answers 401 problem+json to an unsigned request', async () => {
    const response = await post({});

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('answers 401 to a request signed with another secret', async () => {
    const response = await post(signed(randomBytes(32).toString('hex')));

    expect(response.status).toBe(401);
  });

  it('answers 401 to a stale request', async () => {
    const response = await post(signed(SECRET, Date.now() - 6 * 60_000));

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: 'stale' });
  });

  it('answers 401 to a replayed request and accepts the first', async () => {
    const headers = signed(SECRET);

    const first = await post(headers);
    const replay = await post(headers);

    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ reason: 'replayed' });
  });

  it('answers 401 to a request signed for another host', async () => {
    const headers = { ...signed(SECRET), [SIGNATURE_HEADERS.host]: 'host-other' };

    expect((await post(headers)).status).toBe(401);
  });
});

describe('agent commands', () => {
  it('reports the first outcome for a replayed command ID without repeating it', async () => {
    const sliceId = `slc_${randomUUID().slice(0, 8)}`;
    await send({ type: 'create-disk', sliceId, sizeBytes: MiB });
    const command = { commandId: randomUUID(), type: 'power-on', sliceId };

    const first = await signedRequest(agent.url, { hostId: HOST, secret: SECRET, body: command });
    const replay = await signedRequest(agent.url, { hostId: HOST, secret: SECRET, body: command });
    const conflict = await signedRequest(agent.url, {
      hostId: HOST,
      secret: SECRET,
      body: { ...command, type: 'power-off' },
    });

    expect(first.body).toMatchObject({ state: 'succeeded', result: { changed: true } });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ name: 'CommandConflict', code: 'COMMAND_CONFLICT' });
  });

  it('answers 400 naming the bad fields of an invalid command', async () => {
    const response = await send({ type: 'create-disk', sliceId: 'slc_x', sizeBytes: 'big' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      name: 'InvalidCommand',
      code: 'INVALID_COMMAND',
      errors: [{ path: 'sizeBytes', message: expect.any(String) }],
    });
  });

  it('snapshots a running slice and restores it onto a new one, with heartbeats and callbacks', async () => {
    const sliceId = `slc_${randomUUID().slice(0, 8)}`;
    const copyId = `slc_${randomUUID().slice(0, 8)}`;
    const accountId = `acc_${randomUUID().slice(0, 8)}`;
    await createDiskWith(sliceId, 40 * MiB, randomBytes(20 * MiB));
    await send({ type: 'power-on', sliceId });

    const off = await run({ type: 'power-off', sliceId, gracefulTimeoutSeconds: 5 });
    const capture = await run({ type: 'capture', sliceId, captureId: 'snp_1' });
    const on = await send({ type: 'power-on', sliceId });
    proxy.fault('slow', { delayMs: 120 });
    const upload = await uploadCapture(sliceId, accountId).finally(() => proxy.fault('none'));
    const onRunning = await run({ type: 'write-image', sliceId, accountId, snapshotId: 'snp_1' });
    const restore = await run({
      type: 'write-image',
      sliceId: copyId,
      accountId,
      snapshotId: 'snp_1',
    });
    const status = await send({ type: 'status', sliceId });

    expect(off.outcome).toMatchObject({ kind: 'success', result: { power: 'off', forced: false } });
    expect(capture.outcome).toMatchObject({
      kind: 'success',
      result: { captureId: 'snp_1', power: 'off' },
    });
    expect(on.body).toMatchObject({ state: 'succeeded', result: { power: 'on' } });
    const heartbeats = receiver.received.filter(
      (item) => item.taskToken === upload.taskToken && item.kind === 'heartbeat',
    );
    expect(heartbeats.length).toBeGreaterThan(0);
    expect(heartbeats.at(-1)?.progress).toEqual({
      bytesDone: expect.any(Number),
      bytesTotal: 20 * MiB,
    });
    expect(upload.outcome).toMatchObject({
      kind: 'success',
      result: {
        manifestKey: `${accountId}/snapshots/snp_1/manifest.json`,
        diskBytes: 40 * MiB,
        usedBytes: 20 * MiB,
        chunkCount: 5,
        uploadedChunks: 5,
        reusedChunks: 0,
      },
    });
    expect((upload.outcome.result as UploadResult).chunkHashes).toHaveLength(5);
    expect(onRunning.outcome).toMatchObject({
      kind: 'failure',
      error: { name: 'SlicePoweredOn', code: 'SLICE_POWERED_ON' },
    });
    expect(restore.outcome).toMatchObject({ kind: 'success', result: { diskBytes: 40 * MiB } });
    expect(status.body).toMatchObject({ result: { power: 'on', captures: [] } });
    await expectSameContent(diskPathOf(dataDir.path, sliceId), diskPathOf(dataDir.path, copyId));
    expect(receiver.refused).toBe(0);
  });

  it('reports DiskNotFound for a slice without a disk', async () => {
    const { outcome } = await run({ type: 'capture', sliceId: 'slc_missing', captureId: 'c' });

    expect(outcome).toMatchObject({ kind: 'failure', error: { name: 'DiskNotFound' } });
  });

  it('answers GET /v1/commands/{id} with the command state', async () => {
    const commandId = randomUUID();
    await signedRequest(agent.url, {
      hostId: HOST,
      secret: SECRET,
      body: { commandId, type: 'status', sliceId: 'slc_q' },
    });

    const response = await signedRequest(agent.url, {
      hostId: HOST,
      secret: SECRET,
      method: 'GET',
      path: `/v1/commands/${commandId}`,
    });

    expect(response.body).toMatchObject({
      commandId,
      state: 'succeeded',
      result: { exists: false },
    });
  });
});

describe('write-image integrity', () => {
  async function snapshotThenDamage(damage: (keys: readonly string[]) => Promise<void>) {
    const sliceId = `slc_${randomUUID().slice(0, 8)}`;
    const targetId = `slc_${randomUUID().slice(0, 8)}`;
    const accountId = `acc_${randomUUID().slice(0, 8)}`;
    await createDiskWith(sliceId, 16 * MiB, randomBytes(16 * MiB));
    await run({ type: 'capture', sliceId, captureId: 'snp_1' });
    const upload = await uploadCapture(sliceId, accountId);
    const hashes = (upload.outcome.result as UploadResult).chunkHashes ?? [];
    await damage(hashes.map((hash) => chunkKeyOf(accountId, hash)));
    await createDiskWith(targetId, 16 * MiB, randomBytes(8 * MiB));
    const before = readFileSync(diskPathOf(dataDir.path, targetId));
    const { outcome } = await run({
      type: 'write-image',
      sliceId: targetId,
      accountId,
      snapshotId: 'snp_1',
    });
    const after = readFileSync(diskPathOf(dataDir.path, targetId));
    return { outcome, unchanged: before.equals(after) };
  }

  const flipByte = async (key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    bytes[1000] = (bytes[1000] ?? 0) ^ 0xff;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, Metadata: object.Metadata }),
    );
  };
  const remove = async (key: string) => {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  };

  it('fails with ImageCorrupt and leaves the disk as it was when a chunk is flipped and another deleted', async () => {
    const { outcome, unchanged } = await snapshotThenDamage(async (keys) => {
      await flipByte(keys[0]!);
      await remove(keys[1]!);
    });

    expect(outcome).toMatchObject({ kind: 'failure', error: { name: 'ImageCorrupt' } });
    expect(unchanged).toBe(true);
  });

  it.each([
    [
      'only one byte of one chunk is flipped',
      (keys: readonly string[]) => flipByte(keys[2]!),
      /hash/,
    ],
    ['only one chunk is missing', (keys: readonly string[]) => remove(keys[3]!), /missing/],
  ])('fails with ImageCorrupt when %s', async (_, damage, message) => {
    const { outcome, unchanged } = await snapshotThenDamage(damage);

    expect(outcome).toMatchObject({ kind: 'failure', error: { name: 'ImageCorrupt', message } });
    expect(unchanged).toBe(true);
  });

  it('fails with ImageNotFound for a snapshot without a manifest', async () => {
    const { outcome } = await run({
      type: 'write-image',
      sliceId: 'slc_nf',
      accountId: 'acc_none',
      snapshotId: 'snp_none',
    });

    expect(outcome).toMatchObject({ kind: 'failure', error: { name: 'ImageNotFound' } });
  });
});

describe('store faults during upload', () => {
  async function uploadWithFault(fault: 'refuse' | 'hang') {
    const sliceId = `slc_${randomUUID().slice(0, 8)}`;
    const accountId = `acc_${randomUUID().slice(0, 8)}`;
    await createDiskWith(sliceId, 32 * MiB, randomBytes(32 * MiB));
    await run({ type: 'capture', sliceId, captureId: 'snp_1' });
    proxy.fault(fault, { afterPuts: proxy.chunkPuts + 2 });
    const started = Date.now();
    const upload = await uploadCapture(sliceId, accountId).finally(() => proxy.fault('none'));
    const status = await send({ type: 'status', sliceId });
    return {
      outcome: upload.outcome,
      seconds: (Date.now() - started) / 1000,
      manifest: await manifestExists(accountId, 'snp_1'),
      captures: (status.body.result as { captures: string[] }).captures,
      accountId,
    };
  }

  it('fails with StoreUnavailable when the store refuses mid-upload, registering nothing', async () => {
    const { outcome, manifest, captures } = await uploadWithFault('refuse');

    expect(outcome).toMatchObject({ kind: 'failure', error: { name: 'StoreUnavailable' } });
    expect(manifest).toBe(false);
    // The capture stays for a retry or for discard-capture.
    expect(captures).toEqual(['snp_1']);
  });

  it('fails with StoreUnavailable when the store stops answering mid-upload', async () => {
    const { outcome, manifest, seconds } = await uploadWithFault('hang');

    expect(outcome).toMatchObject({ kind: 'failure', error: { name: 'StoreUnavailable' } });
    expect(manifest).toBe(false);
    expect(seconds).toBeLessThan(15);
  });
});
