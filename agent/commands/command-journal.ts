import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  AgentCommand,
  CallbackTarget,
  CommandResult,
  CommandState,
  CommandStatus,
} from '../protocol/commands.ts';
import type { AgentErrorBody } from '../protocol/errors.ts';

/** What the agent remembers of a command, on disk, so a restart neither repeats nor forgets it. */
export interface CommandRecord {
  readonly command: Omit<AgentCommand, 'callback'>;
  /** Fingerprint of the command without its ID and callback: a reused ID must match it. */
  readonly fingerprint: string;
  readonly callbacks: CallbackTarget[];
  state: CommandState;
  readonly startedAt: string;
  finishedAt: string | null;
  result: CommandResult | null;
  error: AgentErrorBody | null;
}

export function statusOf(
  record: CommandRecord,
  progress: CommandStatus['progress'],
): CommandStatus {
  return {
    commandId: record.command.commandId,
    type: record.command.type,
    sliceId: record.command.sliceId,
    state: record.state,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    progress,
    result: record.result,
    error: record.error,
  };
}

/** One JSON file per command under `<dataDir>/commands/`, replaced atomically at start and end. */
export class CommandJournal {
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = join(dataDir, 'commands');
  }

  #path(commandId: string, suffix: string): string {
    return join(this.#dir, `${commandId}${suffix}`);
  }

  async load(): Promise<CommandRecord[]> {
    await mkdir(this.#dir, { recursive: true });
    const records: CommandRecord[] = [];
    for (const name of await readdir(this.#dir)) {
      if (!name.endsWith('.json')) {
        if (name.includes('.json.tmp')) await rm(join(this.#dir, name), { force: true });
        continue;
      }
      try {
        records.push(JSON.parse(await readFile(join(this.#dir, name), 'utf8')));
      } catch {
        // A record cut by a crash mid-write cannot exist (atomic rename); anything else is noise.
      }
    }
    return records;
  }

  async save(record: CommandRecord): Promise<void> {
    const path = this.#path(record.command.commandId, '.json');
    const temporary = `${path}.tmp`;
    await writeFile(temporary, JSON.stringify(record));
    await rename(temporary, path);
  }

  async remove(commandId: string): Promise<void> {
    await rm(this.#path(commandId, '.json'), { force: true });
    // Agents before the chunk collection kept an upload's keys beside its record.
    await rm(this.#path(commandId, '.keys'), { force: true });
  }
}
