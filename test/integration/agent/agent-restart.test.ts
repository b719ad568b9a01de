import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { diskPathOf } from '../../../agent/disk/file-driver.ts';
import { localS3Config } from '../../../local/s3.ts';
import { tempDirPerFile } from '../../support/temp-dir.ts';
import { signedRequest } from './support/agent-client.ts';
import { type CallbackReceiver, startCallbackReceiver } from './support/callback-receiver.ts';
import { MiB, writeAt } from './support/disks.ts';
import { type StoreProxy, startStoreProxy } from './support/store-proxy.ts';

const HOST = 'host-restart';
const SECRET = randomBytes(32).toString('hex');
const dataDir = tempDirPerFile('agent-restart-');
let proxy: StoreProxy;
let receiver: CallbackReceiver;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  proxy = await startStoreProxy(inject('s3Endpoint'));
  receiver = await startCallbackReceiver(HOST, SECRET);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await receiver?.close();
  await proxy?.close();
});

/** Starts `node agent/main.ts` as a host would run it, configured by environment variables. */
async function spawnAgent(): Promise<{ child: ChildProcess; url: string }> {
  const credentials = localS3Config(proxy.endpoint).credentials as {
    accessKeyId: string;
    secretAccessKey: string;
  };
  const child = spawn('node_modules/.bin/node', ['agent/main.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      AGENT_HOST_ID: HOST,
      AGENT_SECRET: SECRET,
      AGENT_DATA_DIR: dataDir.path,
      AGENT_S3_BUCKET: inject('imagesBucket'),
      AGENT_S3_ENDPOINT: proxy.endpoint,
      AGENT_S3_FORCE_PATH_STYLE: 'true',
      AGENT_S3_ACCESS_KEY_ID: credentials.accessKeyId,
      AGENT_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AGENT_HEARTBEAT_MS: '100',
      AGENT_CONCURRENCY: '2',
      AGENT_WORKERS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`agent did not start:\n${output}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"message":"agent listening".*?"url":"([^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

async function waitFor(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('agent restart', () => {
  it('refuses to start without a secret', async () => {
    const child = spawn('node_modules/.bin/node', ['agent/main.ts'], {
      env: { PATH: process.env.PATH, AGENT_HOST_ID: HOST, AGENT_DATA_DIR: dataDir.path },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });

    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(2);
    expect(stderr).toMatch(/AGENT_SECRET is required/);
  });

  it('reports AgentRestarted for an upload cut by a kill, and registers nothing', async () => {
    const first = await spawnAgent();
    const sliceId = 'slc_restart';
    const accountId = `acc_${randomUUID().slice(0, 8)}`;
    const send = (url: string, body: Record<string, unknown>) =>
      signedRequest(url, { hostId: HOST, secret: SECRET, body });
    await send(first.url, {
      commandId: 'create',
      type: 'create-disk',
      sliceId,
      sizeBytes: 32 * MiB,
    });
    writeAt(diskPathOf(dataDir.path, sliceId), [[0, randomBytes(32 * MiB)]]);
    await send(first.url, { commandId: 'capture', type: 'capture', sliceId, captureId: 'snp_1' });
    for (let state = 'running'; state === 'running'; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const status = await signedRequest(first.url, {
        hostId: HOST,
        secret: SECRET,
        method: 'GET',
        path: '/v1/commands/capture',
      });
      state = String(status.body.state);
    }
    proxy.fault('slow', { delayMs: 400 });
    const upload = {
      commandId: 'upload-1',
      type: 'upload',
      sliceId,
      captureId: 'snp_1',
      accountId,
      snapshotId: 'snp_1',
      callback: { url: receiver.url, taskToken: 'token-upload' },
    };

    const accepted = await send(first.url, upload);
    expect(accepted.status).toBe(202);
    await waitFor('two chunk PUTs', () => proxy.chunkPuts >= 2);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    proxy.fault('none');
    const second = await spawnAgent();
    const outcome = await receiver.next('token-upload', ['success', 'failure']);
    const replay = await send(second.url, upload);
    const s3 = new S3Client(localS3Config(inject('s3Endpoint')));
    const manifest = await s3
      .send(
        new HeadObjectCommand({
          Bucket: inject('imagesBucket'),
          Key: `${accountId}/snapshots/snp_1/manifest.json`,
        }),
      )
      .then(
        () => true,
        () => false,
      );
    s3.destroy();
    second.child.kill('SIGTERM');

    expect(outcome).toMatchObject({
      kind: 'failure',
      commandId: 'upload-1',
      error: { name: 'AgentRestarted', code: 'AGENT_RESTARTED' },
    });
    expect(replay.body).toMatchObject({ state: 'failed', error: { name: 'AgentRestarted' } });
    expect(manifest).toBe(false);
  });
});
