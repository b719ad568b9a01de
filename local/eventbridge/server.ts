import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ServiceError } from '../aws-json-error.ts';
import { listen } from '../net.ts';
import { checkPattern, createActions, requireName, toStoredTarget } from './api.ts';
import {
  DEFAULT_WEBHOOK_POLICY,
  type DeliveryDeps,
  deliver,
  type WebhookPolicy,
} from './delivery.ts';
import { type EventEnvelope, EventLogWriter } from './event-log.ts';
import { RuleStore, type StoredRule } from './rule-store.ts';

/** A rule the local cloud wires at start-up (it replaces a stored rule of the same bus and name). */
export interface StartupRule {
  name: string;
  bus: string;
  /** Without a pattern the rule matches every event of its bus. */
  eventPattern?: object;
  targets: Array<{ id: string; arn: string; input?: string; inputPath?: string }>;
}

export interface EventBridgeOptions {
  host?: string;
  port: number;
  dataDir: string;
  region: string;
  accountId: string;
  /** Bus names besides `default`. */
  buses: string[];
  rules?: StartupRule[];
  invokeLambda(functionName: string, event: unknown): Promise<unknown>;
  startExecution(stateMachineArn: string, input: string): Promise<void>;
  log?(line: string): void;
  /** Webhook retry policy; the defaults suit a developer machine. */
  webhook?: Partial<WebhookPolicy>;
}

/** An event an AWS service puts itself (PutEvents refuses `aws.` sources to everyone else). */
export interface ServiceEventInput {
  source: string;
  detailType: string;
  resources: readonly string[];
  detail: Record<string, unknown>;
}

export interface EventBridgeEndpoint {
  url: string;
  /** Puts a service's own event on `bus` (Step Functions' status changes on `default`). */
  putServiceEvent(bus: string, event: ServiceEventInput): void;
  /** Resolves once every event accepted before the call has been delivered and logged. */
  settled(): Promise<void>;
  /** Stops accepting requests, then waits for deliveries under way and their log lines. */
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSEvents.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 1024 * 1024;
/** Matches every event: `source` is always a string. */
const MATCH_ALL = JSON.stringify({ source: [{ prefix: '' }] });

/**
 * Starts the local EventBridge endpoint: the AWS JSON 1.1 protocol of `@aws-sdk/client-eventbridge`
 * (PutEvents and the rule and target actions), rule matching with AWS's event pattern semantics,
 * delivery to local Lambdas, local state machines and webhooks, rules persisted in
 * `<dataDir>/rules.json` and every accepted event logged to `<dataDir>/events.jsonl`.
 */
export async function startEventBridge(opts: EventBridgeOptions): Promise<EventBridgeEndpoint> {
  const log = opts.log ?? (() => undefined);
  const buses = ['default', ...opts.buses.filter((bus) => bus !== 'default')];
  for (const bus of buses) requireName(bus, 'EventBusName');
  const store = await RuleStore.load(join(opts.dataDir, 'rules.json'));
  for (const rule of opts.rules ?? []) store.put(startupRule(rule, buses));
  if (opts.rules?.length) await store.save();

  const writer = new EventLogWriter(opts.dataDir);
  const deps: DeliveryDeps = {
    invokeLambda: opts.invokeLambda,
    startExecution: opts.startExecution,
    webhook: { ...DEFAULT_WEBHOOK_POLICY, ...opts.webhook },
  };
  const pending = new Set<Promise<void>>();

  const route = (bus: string, event: EventEnvelope): void => {
    const receivedAt = new Date().toISOString();
    const matched = store
      .list(bus)
      .filter((rule) => rule.State === 'ENABLED' && store.compiled(rule).matches(event));
    const work = Promise.all(
      matched.flatMap((rule) =>
        rule.Targets.map((target) => deliver(event, rule.Name, target, deps)),
      ),
    )
      .then(async (deliveries) => {
        for (const failed of deliveries.filter((delivery) => delivery.status === 'failed')) {
          log(
            `eventbridge: ${event['detail-type']} ${event.id} to ${failed.arn} (rule ${failed.rule}) failed after ${failed.attempts} attempt(s): ${failed.error ?? 'unknown error'}`,
          );
        }
        await writer.append({
          receivedAt,
          bus,
          event,
          matchedRules: matched.map((rule) => rule.Name),
          deliveries,
        });
      })
      .catch((error: unknown) => {
        log(`eventbridge: could not log event ${event.id}: ${(error as Error).message}`);
      });
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const actions = createActions({
    region: opts.region,
    accountId: opts.accountId,
    buses,
    store,
    route,
  });

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`eventbridge: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) {
        reply(response, 500, { __type: 'InternalException', message: 'Internal error' });
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'GET' && (request.url === '/' || request.url === '/health')) {
      reply(response, 200, { status: 'ok', buses });
      return;
    }
    if (request.method !== 'POST') {
      reply(response, 405, { __type: 'UnknownOperationException', message: 'Use POST' });
      return;
    }
    const target = request.headers['x-amz-target'];
    const action =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : undefined;
    const run =
      action !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
    const body = await readBody(request);
    if (body === undefined) {
      reply(response, 413, { __type: 'ValidationException', message: 'Request body too large' });
      return;
    }
    if (!run) {
      reply(response, 400, {
        __type: 'UnknownOperationException',
        message: `Unknown operation ${String(target)}`,
      });
      return;
    }
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      reply(response, 400, { __type: 'SerializationException', message: 'Malformed JSON body' });
      return;
    }
    try {
      const output = await run(
        typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {},
      );
      reply(response, 200, output);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      reply(response, error.status, { __type: error.type, message: error.message }, error.type);
    }
  }

  const host = opts.host ?? '127.0.0.1';
  const { url } = await listen(server, opts.port, host);
  log(`eventbridge: listening on ${url} (buses: ${buses.join(', ')})`);

  return {
    url,
    putServiceEvent(bus, input) {
      if (!buses.includes(bus)) throw new Error(`no event bus ${bus}`);
      route(bus, {
        version: '0',
        id: randomUUID(),
        'detail-type': input.detailType,
        source: input.source,
        account: opts.accountId,
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: opts.region,
        resources: [...input.resources],
        detail: input.detail,
      });
    },
    async settled() {
      await Promise.all(pending);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      while (pending.size > 0) await Promise.all(pending);
      await store.save();
    },
  };
}

function startupRule(rule: StartupRule, buses: readonly string[]): StoredRule {
  const where = `start-up rule ${rule.name}`;
  try {
    requireName(rule.name, 'Name');
    if (!buses.includes(rule.bus))
      throw new Error(`bus ${rule.bus} is not one of ${buses.join(', ')}`);
    const pattern = rule.eventPattern === undefined ? MATCH_ALL : JSON.stringify(rule.eventPattern);
    checkPattern(pattern);
    return {
      Name: rule.name,
      EventBusName: rule.bus,
      EventPattern: pattern,
      State: 'ENABLED',
      Targets: rule.targets.map((target) =>
        toStoredTarget({
          Id: target.id,
          Arn: target.arn,
          Input: target.input,
          InputPath: target.inputPath,
        }),
      ),
    };
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

function reply(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
}

/** The request body as text, or undefined when it exceeds the limit. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
