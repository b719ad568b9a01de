import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DeliveryDeps, deliver, targetKind } from '../../../../local/eventbridge/delivery.ts';
import type { EventEnvelope } from '../../../../local/eventbridge/event-log.ts';

const event: EventEnvelope = {
  version: '0',
  id: 'e1',
  'detail-type': 'Snapshot Available',
  source: 'slice-snapshots',
  account: '123456789012',
  time: '2026-01-31T12:00:00Z',
  region: 'eu-central-1',
  resources: [],
  detail: { snapshotId: 'snp_01' },
};

function deps(overrides: Partial<DeliveryDeps> = {}): DeliveryDeps {
  return {
    invokeLambda: vi.fn(async () => undefined),
    startExecution: vi.fn(async () => undefined),
    webhook: { attempts: 3, timeoutMs: 300, backoffMs: 5 },
    ...overrides,
  };
}

let server: Server | undefined;

/** A webhook answering the given statuses in turn (the last one repeats), recording bodies. */
async function webhook(
  statuses: number[],
  delayMs = 0,
): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      bodies.push(body);
      const status = statuses[Math.min(bodies.length - 1, statuses.length - 1)] ?? 200;
      setTimeout(() => response.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('targetKind', () => {
  it('recognises Lambda functions, state machines and URLs, and nothing else', () => {
    expect(targetKind('arn:aws:lambda:eu-central-1:123456789012:function:billing-run')).toEqual({
      kind: 'lambda',
      functionName: 'billing-run',
    });
    expect(targetKind('arn:aws:lambda:eu-central-1:123456789012:function:f:live')).toEqual({
      kind: 'lambda',
      functionName: 'f',
    });
    expect(targetKind('arn:aws:states:eu-central-1:123456789012:stateMachine:echo')?.kind).toBe(
      'stateMachine',
    );
    expect(targetKind('https://example.test/hook')?.kind).toBe('webhook');
    expect(targetKind('arn:aws:sqs:eu-central-1:123456789012:queue')).toBeUndefined();
  });
});

describe('deliver', () => {
  it('invokes a Lambda target with the event', async () => {
    const lambda = deps();

    const outcome = await deliver(
      event,
      'r1',
      { Id: 't1', Arn: 'arn:aws:lambda:eu-central-1:123456789012:function:on-event' },
      lambda,
    );

    expect(lambda.invokeLambda).toHaveBeenCalledWith('on-event', event);
    expect(outcome).toMatchObject({ rule: 'r1', targetId: 't1', status: 'delivered', attempts: 1 });
  });

  it('starts a state machine with the selected input as JSON text', async () => {
    const sfn = deps();
    const arn = 'arn:aws:states:eu-central-1:123456789012:stateMachine:echo';

    await deliver(event, 'r1', { Id: 't1', Arn: arn, InputPath: '$.detail' }, sfn);

    expect(sfn.startExecution).toHaveBeenCalledWith(arn, '{"snapshotId":"snp_01"}');
  });

  it('records a failing Lambda as a failed delivery instead of throwing', async () => {
    const failing = deps({ invokeLambda: async () => Promise.reject(new Error('boom')) });

    const outcome = await deliver(
      event,
      'r1',
      { Id: 't1', Arn: 'arn:aws:lambda:eu-central-1:123456789012:function:on-event' },
      failing,
    );

    expect(outcome).toMatchObject({ status: 'failed', error: 'boom' });
  });

  it('posts the event to a webhook as JSON', async () => {
    const hook = await webhook([200]);

    const outcome = await deliver(event, 'r1', { Id: 't1', Arn: hook.url }, deps());

    expect(outcome).toMatchObject({ status: 'delivered', attempts: 1, httpStatus: 200 });
    expect(hook.bodies.map((body) => JSON.parse(body))).toEqual([event]);
  });

  it('retries a webhook answering 5xx and succeeds on a later attempt', async () => {
    const hook = await webhook([503, 500, 204]);

    const outcome = await deliver(event, 'r1', { Id: 't1', Arn: hook.url }, deps());

    expect(outcome).toMatchObject({ status: 'delivered', attempts: 3, httpStatus: 204 });
    expect(hook.bodies).toHaveLength(3);
  });

  it('gives up after the last attempt', async () => {
    const hook = await webhook([500]);

    const outcome = await deliver(event, 'r1', { Id: 't1', Arn: hook.url }, deps());

    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, error: 'HTTP 500' });
  });

  it('does not retry a 4xx answer other than 429', async () => {
    const hook = await webhook([404]);

    const outcome = await deliver(event, 'r1', { Id: 't1', Arn: hook.url }, deps());

    expect(outcome).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 404 });
  });

  it('times out a webhook that does not answer', async () => {
    const hook = await webhook([200], 1_000);
    const slow = deps({ webhook: { attempts: 2, timeoutMs: 50, backoffMs: 5 } });

    const outcome = await deliver(event, 'r1', { Id: 't1', Arn: hook.url }, slow);

    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, error: 'timed out' });
  });

  it('fails a webhook nobody listens on without throwing', async () => {
    const outcome = await deliver(
      event,
      'r1',
      { Id: 't1', Arn: 'http://127.0.0.1:9/nothing' },
      deps({ webhook: { attempts: 2, timeoutMs: 200, backoffMs: 5 } }),
    );

    expect(outcome).toMatchObject({ status: 'failed', attempts: 2 });
    expect(outcome.error).toBeTruthy();
  });
});
