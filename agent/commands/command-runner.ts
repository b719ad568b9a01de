import { createHash } from 'node:crypto';
import { AgentFailure, errorBody, toErrorBody } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { AgentCallback } from '../protocol/callbacks.ts';
import type {
  AgentCommand,
  CallbackTarget,
  CancelResult,
  CommandResult,
  CommandStatus,
  Progress,
} from '../protocol/commands.ts';
import { AGENT_ERRORS } from '../protocol/errors.ts';
import type { CallbackSender } from './callback-sender.ts';
import { type CommandJournal, type CommandRecord, statusOf } from './command-journal.ts';

export interface HandlerContext {
  reportProgress(progress: Progress): void;
  /** Aborted by a `cancel` of the slice: long work stops at its next chunk. */
  readonly signal: AbortSignal;
}

export type CommandHandler = (
  command: AgentCommand,
  context: HandlerContext,
) => Promise<CommandResult>;

export type SubmitOutcome =
  | { readonly accepted: true; readonly status: CommandStatus }
  | {
      readonly accepted: false;
      readonly name: typeof AGENT_ERRORS.CommandConflict | typeof AGENT_ERRORS.SliceBusy;
      readonly message: string;
    };

export interface CommandRunnerOptions {
  readonly journal: CommandJournal;
  readonly sender: CallbackSender;
  readonly handler: CommandHandler;
  readonly heartbeatMs: number;
  readonly log: Logger;
  /** Finished commands are forgotten after this (default 7 days). */
  readonly retentionMs?: number;
}

/** Commands that run beside the one holding the slice: they never take it. */
const UNLOCKED_TYPES: readonly AgentCommand['type'][] = ['status', 'quote', 'cancel'];

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function withoutCallback(command: AgentCommand): Omit<AgentCommand, 'callback'> {
  const { callback: _callback, ...rest } = command;
  return rest;
}

function fingerprintOf(command: AgentCommand): string {
  const { commandId: _id, ...rest } = withoutCallback(command);
  return createHash('sha256').update(stableJson(rest)).digest('hex');
}

/**
 * Runs commands once per ID, one at a time per slice (`status` and `quote` excepted), journals them so a
 * restart reports `AgentRestarted` for whatever was running, and reports to every callback a
 * command was given: heartbeats while it runs, then its outcome.
 */
export class CommandRunner {
  readonly #options: CommandRunnerOptions;
  readonly #records = new Map<string, CommandRecord>();
  readonly #progress = new Map<string, Progress>();
  readonly #done = new Map<string, Promise<void>>();
  readonly #busySlices = new Map<string, string>();
  readonly #controllers = new Map<string, AbortController>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #deliveries = new Set<Promise<unknown>>();

  constructor(options: CommandRunnerOptions) {
    this.#options = options;
  }

  /**
   * Loads the journal. Commands it shows running were cut by a restart: they fail with
   * `AgentRestarted`, and their
   * callbacks are told so. Resolves once the journal is loaded; deliveries go on (see `settled`).
   */
  async recover(now = Date.now()): Promise<CommandRecord[]> {
    const retention = this.#options.retentionMs ?? 7 * 24 * 3600_000;
    const interrupted: CommandRecord[] = [];
    for (const record of await this.#options.journal.load()) {
      const commandId = record.command.commandId;
      if (record.state === 'running') {
        record.state = 'failed';
        record.finishedAt = new Date(now).toISOString();
        record.error = toErrorBody(
          new AgentFailure(
            AGENT_ERRORS.AgentRestarted,
            `the agent restarted while ${record.command.type} ${commandId} was running`,
          ),
        );
        await this.#options.journal.save(record);
        interrupted.push(record);
      } else if (record.finishedAt && now - Date.parse(record.finishedAt) > retention) {
        await this.#options.journal.remove(commandId);
        continue;
      }
      this.#records.set(commandId, record);
    }
    for (const record of interrupted) {
      this.#options.log.warn('command interrupted by a restart', {
        commandId: record.command.commandId,
        type: record.command.type,
      });
      for (const target of record.callbacks) this.#deliverOutcome(record, target);
    }
    return interrupted;
  }

  status(commandId: string): CommandStatus | undefined {
    const record = this.#records.get(commandId);
    return record && statusOf(record, this.#progress.get(commandId) ?? null);
  }

  /** Resolves when the command has finished (immediately if it has or is unknown). */
  async waitFor(commandId: string): Promise<void> {
    await this.#done.get(commandId);
  }

  /** Resolves when every callback under way has been delivered or given up. */
  async settled(): Promise<void> {
    while (this.#deliveries.size > 0) await Promise.allSettled([...this.#deliveries]);
  }

  async submit(command: AgentCommand): Promise<SubmitOutcome> {
    const fingerprint = fingerprintOf(command);
    const existing = this.#records.get(command.commandId);
    if (existing) return this.#replay(existing, fingerprint, command.callback);
    if (!UNLOCKED_TYPES.includes(command.type)) {
      const holder = this.#busySlices.get(command.sliceId);
      if (holder !== undefined) {
        return {
          accepted: false,
          name: AGENT_ERRORS.SliceBusy,
          message: `slice ${command.sliceId} is busy with command ${holder}`,
        };
      }
      this.#busySlices.set(command.sliceId, command.commandId);
    }
    const record: CommandRecord = {
      command: withoutCallback(command),
      fingerprint,
      callbacks: command.callback ? [command.callback] : [],
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      result: null,
      error: null,
    };
    this.#records.set(command.commandId, record);
    try {
      // Journaled before the answer: once accepted, a restart can no longer lose it.
      await this.#save(record);
    } catch (error) {
      this.#records.delete(command.commandId);
      this.#release(command);
      throw error;
    }
    this.#done.set(command.commandId, this.#execute(command, record));
    return { accepted: true, status: statusOf(record, null) };
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
  }

  async #replay(
    record: CommandRecord,
    fingerprint: string,
    callback: CallbackTarget | undefined,
  ): Promise<SubmitOutcome> {
    const commandId = record.command.commandId;
    if (record.fingerprint !== fingerprint) {
      return {
        accepted: false,
        name: AGENT_ERRORS.CommandConflict,
        message: `command ${commandId} was already given with other parameters`,
      };
    }
    const known =
      callback && record.callbacks.some((target) => target.taskToken === callback.taskToken);
    // Read before the save below: a command that ends while it is saved tells its outcome to
    // every callback it has then, this one included, and must not be told it twice.
    const ended = record.state !== 'running';
    if (callback && !known) {
      // A retried dispatch waits on a new task token: it gets the same reports as the first.
      record.callbacks.push(callback);
      await this.#save(record);
    }
    // The same dispatch again means its sender has not heard the outcome (its workflow may have
    // restarted since the callback was given up on): it is told again. While the command runs,
    // its heartbeats and outcome go to every callback anyway.
    if (callback && ended) this.#deliverOutcome(record, callback);
    return { accepted: true, status: statusOf(record, this.#progress.get(commandId) ?? null) };
  }

  /**
   * `status` and `quote` only read and `cancel` acts on what runs now: they are remembered in memory, not
   * journaled (after a restart nothing runs, and what did has failed with `AgentRestarted`).
   */
  async #save(record: CommandRecord): Promise<void> {
    if (!UNLOCKED_TYPES.includes(record.command.type)) await this.#options.journal.save(record);
  }

  /** Stops the command holding the slice and waits for it to end. */
  async #cancel(command: AgentCommand): Promise<CancelResult> {
    const holder = this.#busySlices.get(command.sliceId);
    const running = holder === undefined ? undefined : this.#records.get(holder);
    if (holder === undefined || running === undefined) {
      return { sliceId: command.sliceId, cancelledCommandId: null, cancelledType: null };
    }
    this.#controllers.get(holder)?.abort();
    await this.#done.get(holder);
    return {
      sliceId: command.sliceId,
      cancelledCommandId: holder,
      cancelledType: running.command.type,
    };
  }

  #release(command: AgentCommand): void {
    if (this.#busySlices.get(command.sliceId) === command.commandId) {
      this.#busySlices.delete(command.sliceId);
    }
  }

  async #execute(command: AgentCommand, record: CommandRecord): Promise<void> {
    const { commandId } = command;
    const heartbeat = setInterval(() => {
      const progress = this.#progress.get(commandId);
      for (const target of record.callbacks) {
        this.#track(
          this.#options.sender.send(target, {
            taskToken: target.taskToken,
            commandId,
            kind: 'heartbeat',
            ...(progress ? { progress } : {}),
          }),
        );
      }
    }, this.#options.heartbeatMs);
    this.#timers.add(heartbeat);
    const controller = new AbortController();
    this.#controllers.set(commandId, controller);
    try {
      const result =
        command.type === 'cancel'
          ? await this.#cancel(command)
          : await this.#options.handler(command, {
              reportProgress: (progress) => this.#progress.set(commandId, progress),
              signal: controller.signal,
            });
      record.result = result;
      record.state = 'succeeded';
    } catch (error) {
      record.error = controller.signal.aborted
        ? {
            ...toErrorBody(error),
            ...errorBody(AGENT_ERRORS.Cancelled, `${command.type} ${commandId} was cancelled`),
          }
        : toErrorBody(error);
      record.state = 'failed';
      if (record.error.name === AGENT_ERRORS.AgentError) {
        this.#options.log.error('command failed unexpectedly', {
          commandId,
          type: command.type,
          error: error instanceof Error ? error.stack : String(error),
        });
      }
    } finally {
      clearInterval(heartbeat);
      this.#timers.delete(heartbeat);
      this.#controllers.delete(commandId);
    }
    record.finishedAt = new Date().toISOString();
    try {
      await this.#save(record);
    } catch (error) {
      this.#options.log.error('journal write failed', { commandId, error: String(error) });
    }
    this.#release(command);
    this.#options.log.info('command finished', {
      commandId,
      type: command.type,
      sliceId: command.sliceId,
      state: record.state,
      ...(record.error ? { error: record.error.name } : {}),
    });
    for (const target of record.callbacks) this.#deliverOutcome(record, target);
  }

  #deliverOutcome(record: CommandRecord, target: CallbackTarget): void {
    const callback: AgentCallback =
      record.state === 'succeeded' && record.result
        ? {
            taskToken: target.taskToken,
            commandId: record.command.commandId,
            kind: 'success',
            result: record.result,
          }
        : {
            taskToken: target.taskToken,
            commandId: record.command.commandId,
            kind: 'failure',
            error: record.error ?? errorBody(AGENT_ERRORS.AgentError, 'no outcome recorded'),
          };
    this.#track(this.#options.sender.send(target, callback));
  }

  #track(delivery: Promise<unknown>): void {
    const tracked = delivery.catch(() => undefined).finally(() => this.#deliveries.delete(tracked));
    this.#deliveries.add(tracked);
  }
}
