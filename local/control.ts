import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type LocalClock, parseDuration } from './clock.ts';
import { listen } from './net.ts';

/** What the control endpoint answers about the clock. */
export interface ClockReading {
  /** The local cloud's time. */
  now: string;
  /** How far it is ahead of the machine's clock, in ms. */
  offsetMs: number;
}

export interface ControlEndpoint {
  url: string;
  close(): Promise<void>;
}

function readingOf(clock: LocalClock): ClockReading {
  return { now: clock.now().toISOString(), offsetMs: clock.offsetMs };
}

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RangeError('the body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * The local cloud's own control endpoint, on loopback, for what AWS has no API for: reading the
 * local clock (`GET /clock`) and moving it forward (`POST /clock/advance` with `{"by": "2h"}` or
 * `{"to": "<ISO time>"}`), which `npm run local -- clock` calls.
 */
export async function startControl(options: {
  port: number;
  clock: LocalClock;
}): Promise<ControlEndpoint> {
  const { clock } = options;
  const server = createServer((request, response) => {
    const route = `${request.method} ${request.url}`;
    if (route === 'GET /clock') {
      reply(response, 200, readingOf(clock));
      return;
    }
    if (route !== 'POST /clock/advance') {
      reply(response, 404, { message: `no ${route} here: GET /clock, POST /clock/advance` });
      return;
    }
    bodyOf(request)
      .then((body) => {
        if (typeof body.by === 'string') clock.advance(parseDuration(body.by));
        else if (typeof body.to === 'string' && !Number.isNaN(Date.parse(body.to))) {
          clock.advanceTo(body.to);
        } else {
          throw new RangeError('give {"by": "<duration>"} or {"to": "<ISO time>"}');
        }
        reply(response, 200, readingOf(clock));
      })
      .catch((error: unknown) => {
        reply(response, 400, { message: error instanceof Error ? error.message : String(error) });
      });
  });
  return listen(server, options.port);
}
