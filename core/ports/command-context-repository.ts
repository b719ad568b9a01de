/** What an agent command works for: the operation (and snapshot) its progress reports belong to. */
export interface CommandContext {
  readonly accountId: string;
  /** The host the command was sent to: only its agent may report on it. */
  readonly hostId: string;
  readonly operationId: string;
  readonly snapshotId: string | null;
}

/**
 * Remembers, per waiting task, what its agent command reports on, so that the callback route (which
 * receives only the task token and the measurements) can write progress where it belongs.
 */
export interface CommandContextRepository {
  /** Stores the context of the task's command until `expiresAt`; saving it again overwrites it. */
  save(taskToken: string, context: CommandContext, expiresAt: Date): Promise<void>;

  /** The context of the task's command, or null when none was saved (or it expired). */
  find(taskToken: string): Promise<CommandContext | null>;
}
