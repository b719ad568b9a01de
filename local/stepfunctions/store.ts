import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ExecutionRecord } from './execution-record.ts';

/** A state machine created through the API (the configured workflows are not stored: they come back). */
export interface StoredStateMachine {
  name: string;
  definition: string;
  roleArn: string;
  creationDate: number;
  updateDate?: number;
}

/** Writes at most this often per execution while it runs; a final status is written at once. */
const SAVE_DELAY_MS = 200;

function fileName(name: string): string {
  return `${encodeURIComponent(name)}.json`;
}

async function readJsonFiles(dir: string): Promise<unknown[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = entries.filter((entry) => entry.endsWith('.json')).sort();
  const parsed: unknown[] = [];
  for (const file of files) {
    try {
      parsed.push(JSON.parse(await readFile(join(dir, file), 'utf8')));
    } catch {
      // A file cut short by a crash mid-write never replaced the previous one (writes are renames),
      // so an unreadable file is foreign: skip it rather than refuse to start.
    }
  }
  return parsed;
}

/** Executions and API-created state machines as JSON files under the data directory. */
export class Store {
  private readonly dataDir: string;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; write: () => void }>();
  private readonly onError: (error: unknown) => void;

  /** onError hears of failed background writes (a final status is awaited by its caller instead). */
  constructor(dataDir: string, onError: (error: unknown) => void) {
    this.dataDir = dataDir;
    this.onError = onError;
  }

  async loadExecutions(): Promise<ExecutionRecord[]> {
    const records = await readJsonFiles(join(this.dataDir, 'executions'));
    return records.filter(
      (record): record is ExecutionRecord =>
        typeof record === 'object' && record !== null && 'executionArn' in record,
    );
  }

  async loadStateMachines(): Promise<StoredStateMachine[]> {
    const machines = await readJsonFiles(join(this.dataDir, 'state-machines'));
    return machines.filter(
      (machine): machine is StoredStateMachine =>
        typeof machine === 'object' && machine !== null && 'definition' in machine,
    );
  }

  /** Hashes of the definitions the runner's validator has accepted in this data directory. */
  async loadValidatedDefinitions(): Promise<Set<string>> {
    try {
      const hashes: unknown = JSON.parse(await readFile(this.validatedPath(), 'utf8'));
      return new Set(Array.isArray(hashes) ? hashes.map(String) : []);
    } catch {
      return new Set();
    }
  }

  saveValidatedDefinitions(hashes: ReadonlySet<string>): Promise<void> {
    return this.write(this.validatedPath(), JSON.stringify([...hashes]));
  }

  saveStateMachine(machine: StoredStateMachine): Promise<void> {
    const path = join(this.dataDir, 'state-machines', fileName(machine.name));
    return this.write(path, JSON.stringify(machine));
  }

  /** Saves soon, coalescing the many changes of a running execution. */
  saveExecutionSoon(record: ExecutionRecord, stateMachineName: string): void {
    const path = this.executionPath(record, stateMachineName);
    if (this.pending.has(path)) return;
    const write = () => {
      this.pending.delete(path);
      this.write(path, JSON.stringify(record)).catch(this.onError);
    };
    this.pending.set(path, { timer: setTimeout(write, SAVE_DELAY_MS), write });
  }

  saveExecution(record: ExecutionRecord, stateMachineName: string): Promise<void> {
    const path = this.executionPath(record, stateMachineName);
    const pending = this.pending.get(path);
    if (pending !== undefined) {
      clearTimeout(pending.timer);
      this.pending.delete(path);
    }
    return this.write(path, JSON.stringify(record));
  }

  /** Writes everything still waiting, and waits for every write. */
  async flush(): Promise<void> {
    for (const { timer, write } of [...this.pending.values()]) {
      clearTimeout(timer);
      write();
    }
    await Promise.all(this.chains.values());
  }

  private validatedPath(): string {
    return join(this.dataDir, 'validated-definitions.json');
  }

  private executionPath(record: ExecutionRecord, stateMachineName: string): string {
    return join(
      this.dataDir,
      'executions',
      encodeURIComponent(stateMachineName),
      fileName(record.name),
    );
  }

  /** Writes are renames of a complete temporary file, one at a time per file. */
  private write(path: string, content: string): Promise<void> {
    const previous = this.chains.get(path) ?? Promise.resolve();
    const next = previous.then(async () => {
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.tmp`;
      await writeFile(temporary, content);
      await rename(temporary, path);
    });
    const settled = next.catch(() => {});
    this.chains.set(path, settled);
    void settled.then(() => {
      if (this.chains.get(path) === settled) this.chains.delete(path);
    });
    return next;
  }
}
