import type { Logger } from '../log.ts';
import type { AgentCallback } from '../protocol/callbacks.ts';
import type { CallbackTarget } from '../protocol/commands.ts';
import { signRequest } from '../protocol/signing.ts';

export interface CallbackSenderOptions {
  readonly hostId: string;
  readonly secret: string;
  readonly log: Logger;
  /** Attempts for a final callback (success or failure); heartbeats get one. */
  readonly finalAttempts?: number;
  readonly firstDelayMs?: number;
  readonly timeoutMs?: number;
}

function pathOf(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/**
 * Posts signed callbacks. A final one is retried with backoff on network errors, 5xx and 429
 * (the workflow waits on it); a 4xx means the task is gone (timed out, already settled): stop.
 */
export class CallbackSender {
  readonly #options: CallbackSenderOptions;

  constructor(options: CallbackSenderOptions) {
    this.#options = options;
  }

  async send(target: CallbackTarget, callback: AgentCallback): Promise<boolean> {
    const final = callback.kind !== 'heartbeat';
    const attempts = final ? (this.#options.finalAttempts ?? 12) : 1;
    let delay = this.#options.firstDelayMs ?? 250;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const outcome = await this.#post(target.url, callback);
      if (outcome === 'done') return true;
      if (outcome === 'gone') return false;
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
        delay = Math.min(delay * 2, 30_000);
      }
    }
    this.#options.log.warn('callback not delivered', {
      commandId: callback.commandId,
      kind: callback.kind,
    });
    return false;
  }

  async #post(url: string, callback: AgentCallback): Promise<'done' | 'gone' | 'retry'> {
    const body = JSON.stringify(callback);
    const target = new URL(url);
    const headers = signRequest(this.#options.secret, {
      method: 'POST',
      path: pathOf(target),
      hostId: this.#options.hostId,
      body,
    });
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'done';
      if (response.status === 429 || response.status >= 500) return 'retry';
      this.#options.log.warn('callback refused', {
        commandId: callback.commandId,
        kind: callback.kind,
        status: response.status,
      });
      return 'gone';
    } catch {
      return 'retry';
    }
  }
}
