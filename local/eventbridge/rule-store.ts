import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type CompiledPattern, parseEventPattern } from './pattern.ts';

export type RuleState = 'ENABLED' | 'DISABLED';

/** A target as PutTargets stores it (the AWS field names, so the file reads like the API). */
export interface StoredTarget {
  Id: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
}

export interface StoredRule {
  Name: string;
  EventBusName: string;
  /** JSON text, exactly as given to PutRule. */
  EventPattern: string;
  State: RuleState;
  Description?: string;
  Targets: StoredTarget[];
}

interface RulesFile {
  version: 1;
  rules: StoredRule[];
}

/**
 * Rules and their targets, kept in memory and persisted to one JSON file after every change, so that
 * they survive a restart. Writes go one at a time through a temporary file and a rename: a crash
 * never leaves half a file.
 */
export class RuleStore {
  readonly #file: string;
  readonly #rules = new Map<string, StoredRule>();
  readonly #patterns = new Map<string, CompiledPattern>();
  #saving: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.#file = file;
  }

  /** Loads the file when it exists; a file that cannot be read as rules stops the start-up. */
  static async load(file: string): Promise<RuleStore> {
    const store = new RuleStore(file);
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      let parsed: RulesFile;
      try {
        parsed = JSON.parse(text) as RulesFile;
      } catch (error) {
        throw new Error(
          `${file} is not valid JSON (${(error as Error).message}); fix or delete it`,
        );
      }
      for (const rule of parsed.rules ?? []) {
        try {
          store.compiled(rule);
        } catch (error) {
          throw new Error(
            `${file}: rule ${rule.Name} has an invalid event pattern: ${(error as Error).message}`,
          );
        }
        store.#rules.set(key(rule.EventBusName, rule.Name), rule);
      }
    }
    return store;
  }

  get(bus: string, name: string): StoredRule | undefined {
    return this.#rules.get(key(bus, name));
  }

  /** The rules of a bus, sorted by name. */
  list(bus: string): StoredRule[] {
    return [...this.#rules.values()]
      .filter((rule) => rule.EventBusName === bus)
      .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  }

  put(rule: StoredRule): void {
    this.#rules.set(key(rule.EventBusName, rule.Name), rule);
  }

  delete(bus: string, name: string): void {
    this.#rules.delete(key(bus, name));
  }

  /** The compiled pattern of a rule, compiled once per distinct pattern text. */
  compiled(rule: StoredRule): CompiledPattern {
    let pattern = this.#patterns.get(rule.EventPattern);
    if (!pattern) {
      pattern = parseEventPattern(rule.EventPattern);
      this.#patterns.set(rule.EventPattern, pattern);
    }
    return pattern;
  }

  /** Writes the current rules; resolves once this state (or a later one) is on disk. */
  save(): Promise<void> {
    const write = async (): Promise<void> => {
      const content: RulesFile = { version: 1, rules: [...this.#rules.values()] };
      const temporary = `${this.#file}.${process.pid}.tmp`;
      await mkdir(dirname(this.#file), { recursive: true });
      await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`);
      await rename(temporary, this.#file);
    };
    this.#saving = this.#saving.then(write, write);
    return this.#saving;
  }
}

function key(bus: string, name: string): string {
  return `${bus}\u0000${name}`;
}
