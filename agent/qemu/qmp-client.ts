import { createConnection, type Socket } from 'node:net';

/** An asynchronous QMP event (`SHUTDOWN`, `JOB_STATUS_CHANGE`, `BLOCK_JOB_COMPLETED`, …). */
export interface QmpEvent {
  readonly event: string;
  readonly data?: Record<string, unknown>;
  readonly timestamp?: { readonly seconds: number; readonly microseconds: number };
}

/** A command QEMU refused: `errorClass` is QMP's `class` (`GenericError`, `DeviceNotFound`, …). */
export class QmpError extends Error {
  override readonly name = 'QmpError';
  readonly command: string;
  readonly errorClass: string;

  constructor(command: string, errorClass: string, message: string) {
    super(`${command}: ${message}`);
    this.command = command;
    this.errorClass = errorClass;
  }
}

/** The socket closed (QEMU exited) or did not answer in time. */
export class QmpConnectionError extends Error {
  override readonly name = 'QmpConnectionError';
}

interface Pending {
  readonly command: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Listener = (event: QmpEvent) => void;

export interface QmpConnectOptions {
  /** How long the greeting and each command may take; default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * A small client of the QEMU Machine Protocol over a unix socket: greeting, capabilities
 * negotiation, commands matched to answers by `id`, and events to listeners. One instance per
 * socket; QEMU accepts one QMP client per `-qmp` socket at a time.
 */
export class QmpClient {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  readonly #pending = new Map<string, Pending>();
  readonly #listeners = new Set<Listener>();
  #buffer = '';
  #nextId = 1;
  #closed: Error | null = null;
  readonly closed: Promise<void>;

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.#receive(text));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      this.#closed = new QmpConnectionError('QMP connection closed');
      for (const pending of this.#pending.values()) pending.reject(this.#closed);
      this.#pending.clear();
    });
  }

  /** Connects, reads the greeting and leaves negotiation mode; rejects if QEMU is not there. */
  static async connect(path: string, options: QmpConnectOptions = {}): Promise<QmpClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const socket = createConnection({ path });
    const client = new QmpClient(socket, timeoutMs);
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.once('close', () => reject(new QmpConnectionError(`QMP socket ${path} closed`)));
          client.#greeted = resolve;
        }),
        timeoutMs,
        `no QMP greeting on ${path}`,
      );
      await client.execute('qmp_capabilities');
      return client;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  #greeted: (() => void) | undefined;

  #receive(text: string): void {
    this.#buffer += text;
    for (let newline = this.#buffer.indexOf('\n'); newline >= 0; ) {
      const line = this.#buffer.slice(0, newline).trim();
      this.#buffer = this.#buffer.slice(newline + 1);
      newline = this.#buffer.indexOf('\n');
      if (line) this.#dispatch(JSON.parse(line) as Record<string, unknown>);
    }
  }

  #dispatch(message: Record<string, unknown>): void {
    if ('QMP' in message) {
      this.#greeted?.();
      this.#greeted = undefined;
      return;
    }
    if (typeof message.event === 'string') {
      for (const listener of [...this.#listeners]) listener(message as unknown as QmpEvent);
      return;
    }
    const id = String(message.id ?? '');
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if ('error' in message) {
      const error = message.error as { class?: string; desc?: string };
      pending.reject(
        new QmpError(pending.command, error.class ?? 'GenericError', error.desc ?? 'failed'),
      );
    } else pending.resolve(message.return);
  }

  /** Runs one command; resolves with its `return`, rejects with a `QmpError` naming its class. */
  async execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.#closed) throw this.#closed;
    const id = `c${this.#nextId++}`;
    const answer = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { command, resolve, reject });
    });
    this.#socket.write(
      `${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id })}\n`,
    );
    try {
      return (await withTimeout(answer, this.#timeoutMs, `${command} got no answer`)) as T;
    } finally {
      this.#pending.delete(id);
    }
  }

  /** Calls `listener` for every event until the returned function is called. */
  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * The first event from now on that `matches`. Subscribe before the command that causes it,
   * then await: an event never slips between the two.
   */
  nextEvent(matches: (event: QmpEvent) => boolean, timeoutMs: number): Promise<QmpEvent> {
    let off: () => void = () => undefined;
    const seen = new Promise<QmpEvent>((resolve, reject) => {
      off = this.onEvent((event) => {
        if (matches(event)) resolve(event);
      });
      this.closed.then(() => reject(new QmpConnectionError('QMP connection closed')));
    });
    return withTimeout(seen, timeoutMs, 'the awaited QMP event did not come').finally(off);
  }

  get isClosed(): boolean {
    return this.#closed !== null;
  }

  close(): void {
    this.#socket.destroy();
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QmpConnectionError(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
