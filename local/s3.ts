import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  CreateBucketCommand,
  ListBucketsCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { captureTail, stopChild } from './child-process.ts';
import { logChildOutput } from './log-files.ts';
import { waitUntil } from './net.ts';

export interface LocalS3 {
  endpoint: string;
  close(): Promise<void>;
}

/** s3rver accepts only these credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Client settings s3rver needs: path-style addressing, and checksums only when required, or
 * streamed bodies are stored with their chunk framing inside the object (FINDINGS.md).
 */
export function localS3Config(endpoint: string): S3ClientConfig {
  return {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/**
 * Starts s3rver in its own process (it is CPU-bound; a process of its own keeps it off our event
 * loop) with the legacy OpenSSL provider, without which paginated ListObjectsV2 answers 500.
 */
export async function startS3(options: {
  port: number;
  dataDir: string;
  buckets: readonly string[];
  /** Where its own output goes; without one it is kept only to explain a failed start. */
  logFile?: string;
}): Promise<LocalS3> {
  mkdirSync(options.dataDir, { recursive: true });
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      bin,
      '--address',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--directory',
      options.dataDir,
      '--silent',
    ],
    { stdio: 'pipe' },
  );
  const tail = captureTail(child);
  if (options.logFile) logChildOutput(child, options.logFile);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new S3Client(localS3Config(endpoint));
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    await waitUntil('s3rver', async () => {
      if (exited) throw new Error(`s3rver exited during start:\n${tail()}`);
      await client.send(new ListBucketsCommand({}));
      return true;
    });
    for (const bucket of options.buckets) {
      await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: Error) => {
        if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') {
          throw error;
        }
      });
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, close: () => stopChild(child) };
}
