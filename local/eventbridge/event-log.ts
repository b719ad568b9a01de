import { readFileSync, statSync } from 'node:fs';
import { appendFile, mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** An event as EventBridge hands it to targets. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** How one target fared with one event. */
export interface DeliveryOutcome {
  rule: string;
  targetId: string;
  arn: string;
  status: 'delivered' | 'failed';
  attempts: number;
  durationMs: number;
  /** The webhook's last HTTP status, when it answered. */
  httpStatus?: number;
  error?: string;
}

/** One line of `events.jsonl`: an accepted event, the rules it matched and what each target did. */
export interface EventLogEntry {
  receivedAt: string;
  bus: string;
  event: EventEnvelope;
  /** Names of the rules (of `bus`) whose pattern matched. */
  matchedRules: string[];
  deliveries: DeliveryOutcome[];
}

export interface ReadEventLogOptions {
  /** Only entries received at or after this instant. */
  since?: Date | string;
  /** Only the last `limit` entries (after `since`). */
  limit?: number;
}

export function eventLogPath(dataDir: string): string {
  return join(dataDir, 'events.jsonl');
}

/** Appends entries one at a time, so that concurrent events never interleave within a line. */
export class EventLogWriter {
  readonly #file: string;
  readonly #dataDir: string;
  #writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
    this.#file = eventLogPath(dataDir);
  }

  append(entry: EventLogEntry): Promise<void> {
    const write = async (): Promise<void> => {
      await mkdir(this.#dataDir, { recursive: true });
      await appendFile(this.#file, `${JSON.stringify(entry)}\n`);
    };
    this.#writing = this.#writing.then(write, write);
    return this.#writing;
  }
}

/**
 * The entries of the event log, oldest first; none when there is no log yet. Synchronous: it serves
 * the CLI and tests, which read the log once and print it.
 */
export function readEventLog(dataDir: string, options: ReadEventLogOptions = {}): EventLogEntry[] {
  let text: string;
  try {
    text = readFileSync(eventLogPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let entries = parseLines(text.split('\n'));
  if (options.since !== undefined) {
    const since = new Date(options.since).getTime();
    if (Number.isNaN(since)) throw new Error(`since is not a valid date: ${String(options.since)}`);
    entries = entries.filter((entry) => Date.parse(entry.receivedAt) >= since);
  }
  if (options.limit !== undefined) {
    entries = options.limit > 0 ? entries.slice(-options.limit) : [];
  }
  return entries;
}

/**
 * Follows the event log like `tail -f`: calls `onEvent` for every entry appended after the call.
 * Works whether or not the log exists yet; returns a function that stops following.
 */
export function tailEventLog(
  dataDir: string,
  onEvent: (entry: EventLogEntry) => void,
  options: { intervalMs?: number } = {},
): () => void {
  const file = eventLogPath(dataDir);
  // Taken now, not at the first poll, so that nothing appended right after this call is missed.
  let offset = sizeOf(file);
  let pending = '';
  let busy = false;
  let stopped = false;

  const poll = async (): Promise<void> => {
    if (busy || stopped) return;
    busy = true;
    try {
      const size = await stat(file).then(
        (stats) => stats.size,
        () => 0,
      );
      if (size < offset) {
        // The log was truncated or replaced: read the new one from its start.
        offset = 0;
        pending = '';
      }
      if (size > offset) {
        const handle = await open(file, 'r');
        try {
          const buffer = Buffer.alloc(size - offset);
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
          offset += bytesRead;
          const lines = (pending + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
          pending = lines.pop() ?? '';
          for (const entry of parseLines(lines)) {
            if (!stopped) onEvent(entry);
          }
        } finally {
          await handle.close();
        }
      }
    } finally {
      busy = false;
    }
  };

  const tick = (): void => {
    // A read that fails (the log removed mid-read) is simply tried again on the next tick.
    poll().catch(() => undefined);
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 250);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function parseLines(lines: string[]): EventLogEntry[] {
  const entries: EventLogEntry[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as EventLogEntry);
    } catch {
      // A line cut short by a crash mid-write: the rest of the log is still worth reading.
    }
  }
  return entries;
}
