import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, Worker } from 'node:worker_threads';

/**
 * An HTTP endpoint that accepts every PUT and discards it, and knows no object (HEAD/GET 404,
 * listings empty):
 * uploading to it measures the agent's own cost. It runs in a worker thread so that it does not
 * share the pipeline's event loop.
 */
export async function startNullStore(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const worker = new Worker(new URL(import.meta.url));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await worker.terminate();
    },
  };
}

if (parentPort) {
  const port = parentPort;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method === 'PUT') {
        response.writeHead(200, { etag: '"0"', 'content-length': '0' });
        response.end();
        return;
      }
      if (request.method === 'GET' && request.url?.includes('list-type=2')) {
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(
          '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>',
        );
        return;
      }
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end(
        request.method === 'HEAD'
          ? undefined
          : '<Error><Code>NoSuchKey</Code><Message>none</Message></Error>',
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => port.postMessage((server.address() as AddressInfo).port));
}
