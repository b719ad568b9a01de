import type { PolicySimulation } from '../../api/client.ts';

/** One UTC day of a simulation's window, as the timeline draws it. */
export interface SimulationDay {
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  /** When each run of the day starts, as HH:MM UTC. */
  readonly runTimes: readonly string[];
  /** Snapshots the day's runs take that are still kept at the window's end, over every slice. */
  readonly keptToEnd: number;
  /** Snapshots that exist now and are pruned that day. */
  readonly prunedExisting: number;
}

const DAY_MS = 86_400_000;

function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * The window's days, from its first to its last, each with its runs and what becomes of them:
 * the timeline's data, and its text for whoever does not read the chart.
 */
export function simulationDays(simulation: PolicySimulation): SimulationDay[] {
  const from = Date.parse(`${dayOf(simulation.window.from)}T00:00:00.000Z`);
  const to = Date.parse(simulation.window.to);
  const days = new Map<string, { runTimes: string[]; keptToEnd: number; prunedExisting: number }>();
  for (let at = from; at < to; at += DAY_MS) {
    days.set(new Date(at).toISOString().slice(0, 10), {
      runTimes: [],
      keptToEnd: 0,
      prunedExisting: 0,
    });
  }
  for (const run of simulation.runs) days.get(dayOf(run))?.runTimes.push(run.slice(11, 16));
  for (const slice of simulation.slices) {
    for (const snapshot of slice.endOfWindow.snapshots) {
      if (snapshot.snapshotId !== null) continue;
      const day = days.get(dayOf(snapshot.createdAt));
      if (day) day.keptToEnd += 1;
    }
    for (const pruned of slice.endOfWindow.prunedExisting) {
      const day = days.get(dayOf(pruned.prunedAt));
      if (day) day.prunedExisting += 1;
    }
  }
  return [...days].map(([day, each]) => ({ day, ...each }));
}

/** The run times of a day in a sentence: "02:30", "00:00, 06:00 and 12:00", "24 runs, hourly". */
export function runTimesText(runTimes: readonly string[]): string {
  if (runTimes.length === 0) return 'no run';
  if (runTimes.length > 6)
    return `${runTimes.length} runs, from ${runTimes[0]} to ${runTimes.at(-1)}`;
  if (runTimes.length === 1) return runTimes[0] ?? '';
  return `${runTimes.slice(0, -1).join(', ')} and ${runTimes.at(-1)}`;
}
