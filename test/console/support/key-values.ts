import { screen } from '@testing-library/react';

/** The value shown under `label` in a page's key-value pairs (a term and its description). */
export function shownUnder(label: string): string {
  const term = screen.getByText(label, { selector: 'dt, dt *' }).closest('dt');
  return term?.nextElementSibling?.textContent ?? '';
}
