import type { DeliveryOutcome, EventEnvelope } from './event-log.ts';
import type { StoredTarget } from './rule-store.ts';
import { targetInput } from './target-input.ts';

/** How a webhook target is tried: attempts in all, each bounded by a timeout, doubling pauses. */
export interface WebhookPolicy {
  attempts: number;
  timeoutMs: number;
  backoffMs: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  attempts: 3,
  timeoutMs: 3_000,
  backoffMs: 250,
};

export interface DeliveryDeps {
  invokeLambda(functionName: string, event: unknown): Promise<unknown>;
  startExecution(stateMachineArn: string, input: string): Promise<void>;
  webhook: WebhookPolicy;
}

/** The kinds of target the local endpoint delivers to, recognised from the target's Arn. */
export type TargetKind =
  | { kind: 'lambda'; functionName: string }
  | { kind: 'stateMachine'; arn: string }
  | { kind: 'webhook'; url: string };

const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:[\w-]+:\d+:function:([\w-]{1,64})(?::[\w$-]+)?$/;
const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:[\w-]+:\d+:stateMachine:[\w-]{1,80}$/;

/** The target kind an Arn names, or undefined when the local endpoint cannot deliver to it. */
export function targetKind(arn: string): TargetKind | undefined {
  const lambda = LAMBDA_ARN.exec(arn);
  if (lambda) return { kind: 'lambda', functionName: lambda[1] as string };
  if (STATE_MACHINE_ARN.test(arn)) return { kind: 'stateMachine', arn };
  if (/^https?:\/\//i.test(arn)) {
    try {
      return { kind: 'webhook', url: new URL(arn).toString() };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Delivers one event to one target. Never throws: every failure ends up in the outcome. */
export async function deliver(
  event: EventEnvelope,
  rule: string,
  target: StoredTarget,
  deps: DeliveryDeps,
): Promise<DeliveryOutcome> {
  const started = performance.now();
  const outcome = (
    fields: Pick<DeliveryOutcome, 'status' | 'attempts' | 'httpStatus' | 'error'>,
  ): DeliveryOutcome => ({
    rule,
    targetId: target.Id,
    arn: target.Arn,
    ...fields,
    durationMs: Math.round(performance.now() - started),
  });
  const kind = targetKind(target.Arn);
  if (!kind) {
    return outcome({ status: 'failed', attempts: 0, error: 'unsupported target Arn' });
  }
  const input = targetInput(event, target);
  if (!input.ok) return outcome({ status: 'failed', attempts: 0, error: input.error });
  try {
    switch (kind.kind) {
      case 'lambda':
        await deps.invokeLambda(kind.functionName, input.payload);
        return outcome({ status: 'delivered', attempts: 1 });
      case 'stateMachine':
        await deps.startExecution(kind.arn, JSON.stringify(input.payload));
        return outcome({ status: 'delivered', attempts: 1 });
      case 'webhook':
        return outcome(
          await postWithRetries(kind.url, JSON.stringify(input.payload), deps.webhook),
        );
    }
  } catch (error) {
    return outcome({ status: 'failed', attempts: 1, error: describe(error) });
  }
}

type WebhookResult = Pick<DeliveryOutcome, 'status' | 'attempts' | 'httpStatus' | 'error'>;

/**
 * POSTs the body, retrying network errors, timeouts, 429 and 5xx answers (as API destinations do);
 * any other 4xx is final, since sending the same request again cannot change it.
 */
async function postWithRetries(
  url: string,
  body: string,
  policy: WebhookPolicy,
): Promise<WebhookResult> {
  let last: WebhookResult = { status: 'failed', attempts: 0 };
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    if (attempt > 1) await sleep(policy.backoffMs * 2 ** (attempt - 2));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      // The body is not used, but reading it frees the connection for the next request.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok)
        return { status: 'delivered', attempts: attempt, httpStatus: response.status };
      last = {
        status: 'failed',
        attempts: attempt,
        httpStatus: response.status,
        error: `HTTP ${response.status}`,
      };
      if (response.status !== 429 && response.status < 500) return last;
    } catch (error) {
      last = { status: 'failed', attempts: attempt, error: describe(error) };
    }
  }
  return last;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
