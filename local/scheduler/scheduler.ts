import {
  nextOccurrence,
  parseScheduleExpression,
  type ScheduleExpression,
} from '../../adapters/node/schedule-expression.ts';

export interface ScheduleDefinition {
  name: string;
  /** `rate(...)` or `cron(...)`, as EventBridge Scheduler takes it. */
  expression: string;
  invoke: () => Promise<void>;
}

/** The timer source; tests pass a fake one to run schedules without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  schedules: ScheduleDefinition[];
  now?: () => Date;
  log?: (line: string) => void;
  timers?: Timers;
}

export interface Scheduler {
  /** When the schedule runs next. */
  next(name: string): Date;
  /** Adds a schedule, or replaces the one of that name (its next run from its new expression). */
  put(definition: ScheduleDefinition): void;
  /** Removes a schedule: it runs no more (a run going on ends as it would). */
  remove(name: string): void;
  /** The names of the schedules it runs. */
  names(): string[];
  close(): void;
}

/**
 * Node fires a timer longer than 2^31-1 ms at once, and a monthly cron is further away than that:
 * long waits are taken in slices, each re-checking the clock.
 */
const MAX_TIMER_MS = 6 * 60 * 60 * 1000;

const realTimers: Timers = {
  // Looked up at call time, so that fake timers installed after import are honoured.
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Entry {
  definition: ScheduleDefinition;
  schedule: ScheduleExpression;
  due: Date;
  running: boolean;
  timer: unknown;
}

/**
 * Runs each schedule's `invoke` on its expression, in UTC, as EventBridge Scheduler would. A run
 * that is still going when the next is due makes that next run skipped, not stacked; a failed run is
 * logged and the schedule carries on.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const timers = options.timers ?? realTimers;
  const entries = new Map<string, Entry>();
  let closed = false;

  const entryOf = (definition: ScheduleDefinition): Entry => {
    const schedule = parseScheduleExpression(definition.expression);
    return {
      definition,
      schedule,
      due: nextOccurrence(schedule, now(), definition.expression),
      running: false,
      timer: undefined,
    };
  };

  for (const definition of options.schedules) {
    if (entries.has(definition.name)) {
      throw new Error(`schedule ${definition.name} is defined twice`);
    }
    entries.set(definition.name, entryOf(definition));
  }

  const disarm = (entry: Entry): void => {
    if (entry.timer !== undefined) timers.clearTimeout(entry.timer);
    entry.timer = undefined;
  };

  const arm = (entry: Entry): void => {
    if (closed) return;
    const wait = Math.max(0, entry.due.getTime() - now().getTime());
    entry.timer = timers.setTimeout(() => fire(entry), Math.min(wait, MAX_TIMER_MS));
  };

  const fire = (entry: Entry): void => {
    entry.timer = undefined;
    // Removed or replaced since it was armed: the timer belongs to an entry no longer kept.
    if (closed || entries.get(entry.definition.name) !== entry) return;
    const at = now();
    if (at < entry.due) {
      arm(entry);
      return;
    }
    const { name } = entry.definition;
    if (entry.running) {
      log(
        `scheduler: ${name} skipped at ${entry.due.toISOString()}: the previous run is still going`,
      );
    } else {
      entry.running = true;
      log(`scheduler: ${name} runs (${entry.definition.expression})`);
      run(entry.definition.invoke)
        .catch((error: unknown) => {
          log(`scheduler: ${name} failed: ${(error as Error).stack ?? String(error)}`);
        })
        .finally(() => {
          entry.running = false;
        });
    }
    entry.due = following(entry, at);
    arm(entry);
  };

  /** The next due time after a run at `at`; a rate keeps its phase, skipping periods slept through. */
  const following = (entry: Entry, at: Date): Date => {
    if (entry.schedule.kind === 'rate') {
      const period = entry.schedule.periodMs;
      const missed = Math.floor((at.getTime() - entry.due.getTime()) / period);
      return new Date(entry.due.getTime() + (missed + 1) * period);
    }
    return nextOccurrence(entry.schedule, at, entry.definition.expression);
  };

  for (const entry of entries.values()) arm(entry);

  return {
    next(name) {
      const entry = entries.get(name);
      if (!entry) throw new Error(`no schedule named ${name}`);
      return new Date(entry.due);
    },
    put(definition) {
      const previous = entries.get(definition.name);
      if (previous) disarm(previous);
      const entry = entryOf(definition);
      entries.set(definition.name, entry);
      arm(entry);
    },
    remove(name) {
      const entry = entries.get(name);
      if (!entry) return;
      disarm(entry);
      entries.delete(name);
    },
    names() {
      return [...entries.keys()];
    },
    close() {
      closed = true;
      for (const entry of entries.values()) disarm(entry);
    },
  };
}

/** Calls `invoke` at once; a synchronous throw becomes a rejection like any other failure. */
function run(invoke: () => Promise<void>): Promise<void> {
  try {
    return Promise.resolve(invoke());
  } catch (error) {
    return Promise.reject(error);
  }
}
