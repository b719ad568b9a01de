import { randomBytes } from 'node:crypto';
import { ServiceError } from '../aws-json-error.ts';
import { LocalClock, type LocalTimer } from '../clock.ts';

/** How a callback task ended: by SendTaskSuccess/Failure, a failed invoke, or a timeout. */
export type CallbackOutcome =
  | { status: 'succeeded'; output: unknown }
  | { status: 'failed' | 'timed-out'; error: string; cause: string };

interface PendingTask {
  settle: (outcome: CallbackOutcome) => void;
  heartbeatMs: number | undefined;
  heartbeatTimer: LocalTimer | undefined;
}

const MAX_TOKEN_LENGTH = 2048;

/**
 * Task tokens of callback tasks. A token is open from its minting until its task ends; a closed token
 * answers `TaskTimedOut` like AWS does for a task that no longer waits, an unknown one `TaskDoesNotExist`.
 * Heartbeat timeouts run on the local cloud's clock: moving it past one times the task out.
 */
export class TaskTokens {
  private readonly open = new Map<string, PendingTask>();
  private readonly closed = new Set<string>();
  private readonly clock: LocalClock;

  constructor(clock = new LocalClock()) {
    this.clock = clock;
  }

  /**
   * Opens a token whose outcome settles once; with heartbeatSeconds, silence that long times it out.
   * `reopen` opens a token issued before a restart again (the attempt that waited on it goes on)
   * instead of a new one.
   */
  mint(
    heartbeatSeconds: number | undefined,
    reopen?: string,
  ): { token: string; outcome: Promise<CallbackOutcome> } {
    const token = reopen ?? randomBytes(96).toString('base64url');
    this.closed.delete(token);
    const { promise, resolve } = Promise.withResolvers<CallbackOutcome>();
    const pending: PendingTask = {
      settle: resolve,
      heartbeatMs: heartbeatSeconds === undefined ? undefined : heartbeatSeconds * 1000,
      heartbeatTimer: undefined,
    };
    this.open.set(token, pending);
    this.armHeartbeat(token, pending);
    return { token, outcome: promise };
  }

  /** Ends an open task; false when it had already ended. */
  settle(token: string, outcome: CallbackOutcome): boolean {
    const pending = this.open.get(token);
    if (pending === undefined) return false;
    this.clock.clearTimeout(pending.heartbeatTimer);
    this.open.delete(token);
    this.closed.add(token);
    pending.settle(outcome);
    return true;
  }

  succeed(token: string, output: unknown): void {
    this.requireOpen(token);
    this.settle(token, { status: 'succeeded', output });
  }

  fail(token: string, error: string, cause: string): void {
    this.requireOpen(token);
    this.settle(token, { status: 'failed', error, cause });
  }

  heartbeat(token: string): void {
    const pending = this.requireOpen(token);
    this.armHeartbeat(token, pending);
  }

  /** Tokens of tasks that ended before a restart: they answer TaskTimedOut, not TaskDoesNotExist. */
  rememberClosed(tokens: Iterable<string>): void {
    for (const token of tokens) this.closed.add(token);
  }

  private armHeartbeat(token: string, pending: PendingTask): void {
    this.clock.clearTimeout(pending.heartbeatTimer);
    if (pending.heartbeatMs === undefined) return;
    const seconds = pending.heartbeatMs / 1000;
    pending.heartbeatTimer = this.clock.setTimeout(() => {
      this.settle(token, {
        status: 'timed-out',
        error: 'States.HeartbeatTimeout',
        cause: `No heartbeat was received within ${seconds} seconds`,
      });
    }, pending.heartbeatMs);
  }

  private requireOpen(token: string): PendingTask {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new ServiceError('InvalidToken', 'Invalid Token');
    }
    const pending = this.open.get(token);
    if (pending !== undefined) return pending;
    if (this.closed.has(token)) {
      throw new ServiceError(
        'TaskTimedOut',
        "Task Timed Out: 'Provided task does not exist anymore'",
      );
    }
    throw new ServiceError('TaskDoesNotExist', 'Task does not exist anymore');
  }
}
