import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ServiceError } from '../aws-json-error.ts';
import type { Request } from './requests.ts';
import type { Action } from './service.ts';

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

function parseRequest(text: string): Request {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ServiceError('SerializationException', 'The request body must be a JSON object');
  }
  return parsed as Request;
}

/**
 * An HTTP server speaking the AWS JSON 1.0 protocol of Step Functions: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Action>`; errors as `{ "__type", "message" }` so that the SDK
 * raises the exception of that name. Requests are not signature-checked.
 */
export function createJsonProtocolServer(
  actions: Readonly<Record<string, Action>>,
  log: (message: string) => void,
): Server {
  return createServer((request, response) => {
    void (async () => {
      try {
        const body = await readBody(request);
        if (request.method !== 'POST') {
          throw new ServiceError('UnknownOperationException', 'Only POST requests are served', 405);
        }
        const target = request.headers['x-amz-target'];
        const name =
          typeof target === 'string' && target.startsWith(TARGET_PREFIX)
            ? target.slice(TARGET_PREFIX.length)
            : undefined;
        const action = name === undefined ? undefined : actions[name];
        if (action === undefined || !Object.hasOwn(actions, name ?? '')) {
          throw new ServiceError(
            'UnknownOperationException',
            `Unsupported operation: ${String(target)}`,
          );
        }
        send(response, 200, (await action(parseRequest(body))) ?? {});
      } catch (error) {
        if (error instanceof ServiceError) {
          send(response, error.status, { __type: error.type, message: error.message });
          return;
        }
        log(`internal error: ${(error as Error).stack ?? String(error)}`);
        send(response, 500, { __type: 'InternalFailure', message: String(error) });
      }
    })();
  });
}
