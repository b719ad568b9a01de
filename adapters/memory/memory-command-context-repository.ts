import type { Clock } from '../../core/ports/clock.ts';
import type {
  CommandContext,
  CommandContextRepository,
} from '../../core/ports/command-context-repository.ts';

/** CommandContextRepository in memory; expiry is judged by the given clock. */
export class MemoryCommandContextRepository implements CommandContextRepository {
  readonly #contexts = new Map<string, { context: CommandContext; expiresAt: number }>();
  readonly #clock: Clock;

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  async save(taskToken: string, context: CommandContext, expiresAt: Date): Promise<void> {
    this.#contexts.set(taskToken, { context: { ...context }, expiresAt: expiresAt.getTime() });
  }

  async find(taskToken: string): Promise<CommandContext | null> {
    const saved = this.#contexts.get(taskToken);
    if (!saved || saved.expiresAt <= this.#clock.now().getTime()) return null;
    return { ...saved.context };
  }
}
