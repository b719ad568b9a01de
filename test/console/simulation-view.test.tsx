import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { runTimesText, simulationDays } from '../../console/src/pages/policies/simulation-days.ts';
import { SimulationView } from '../../console/src/pages/policies/simulation-view.tsx';
import { aSimulation } from './support/records.ts';

describe('simulationDays', () => {
  it('puts every day of the window on the axis, with its runs and what becomes of them', () => {
    const days = simulationDays(aSimulation());

    expect(days).toEqual([
      { day: '2026-03-10', runTimes: [], keptToEnd: 0, prunedExisting: 0 },
      { day: '2026-03-11', runTimes: ['02:30'], keptToEnd: 1, prunedExisting: 1 },
      { day: '2026-03-12', runTimes: ['02:30'], keptToEnd: 1, prunedExisting: 0 },
    ]);
  });

  it('counts every run of a busy day', () => {
    const runs = Array.from(
      { length: 24 },
      (_, hour) => `2026-03-11T${String(hour).padStart(2, '0')}:00:00.000Z`,
    );

    const [, busy] = simulationDays(aSimulation({ runs }));

    expect(busy?.runTimes).toHaveLength(24);
    expect(runTimesText(busy?.runTimes ?? [])).toBe('24 runs, from 00:00 to 23:00');
    expect(runTimesText(['00:00', '12:00'])).toBe('00:00 and 12:00');
  });
});

/** The value a KeyValuePairs shows beside a label. */
function shownBeside(label: string): string | null | undefined {
  return screen.getByText(label).closest('dt')?.nextElementSibling?.textContent;
}

/** The text of each row of the table named `name`, below its header row. */
function bodyRowsOf(name: string): (string | null)[] {
  return within(screen.getByRole('table', { name }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.textContent);
}

describe('SimulationView', () => {
  it('shows the cost now and at the end, and the runs by day', () => {
    render(<SimulationView simulation={aSimulation()} />);

    expect(shownBeside('Monthly cost now')).toBe('$4.00');
    expect(shownBeside("Monthly cost at the window's end")).toBe('$6.00');
    expect(screen.getByText('2, taking 2, pruning 1')).toBeTruthy();
    const byDay = screen.getByRole('list', { name: 'Runs by day', hidden: true });
    expect(
      within(byDay)
        .getAllByRole('listitem', { hidden: true })
        .map((item) => item.textContent),
    ).toEqual([
      '2026-03-11: 02:30; 1 kept to the end; 1 existing pruned',
      '2026-03-12: 02:30; 1 kept to the end',
    ]);
  });

  it('tells for each slice which snapshot a rule keeps now, which is pruned, and what is left at the end', () => {
    render(<SimulationView simulation={aSimulation()} />);

    const nowRows = bodyRowsOf('Now, web-1');
    expect(nowRows).toEqual([
      expect.stringMatching(/2026-03-10 02:30:00 UTC.*40\.00 GiB.*Kept by last/),
      expect.stringMatching(/2026-03-09 02:30:00 UTC.*Pruned by the next run/),
    ]);
    const endRows = bodyRowsOf("At the window's end, web-1");
    expect(endRows).toEqual([
      expect.stringMatching(/2026-03-12 02:30:00 UTC ?to be taken.*Kept by last/),
      expect.stringMatching(/2026-03-11 02:30:00 UTC ?to be taken.*Kept by daily/),
      expect.stringMatching(/2026-03-10 02:30:00 UTC.*Kept by daily/),
    ]);
    expect(
      screen.getByText(
        /2 taken and 1 pruned in the window; monthly cost \$4\.00 now, \$6\.00 at the end/,
      ),
    ).toBeTruthy();
  });

  it('says when a target slice is gone', () => {
    const simulation = aSimulation();
    const [slice] = simulation.slices;
    if (!slice) throw new Error('no slice in the simulation');
    render(
      <SimulationView
        simulation={{ ...simulation, slices: [{ ...slice, status: 'gone', sliceName: null }] }}
      />,
    );

    expect(screen.getByText('This slice is gone: nothing is taken of it.')).toBeTruthy();
  });
});
