import { screen } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

/** The value shown under `label` in a page's key-value pairs (a term and its description). */
export function shownUnder(label: string): string {
  const term = screen.getByText(label, { selector: 'dt, dt *' }).closest('dt');
  return term?.nextElementSibling?.textContent ?? '';
}

/** Adds the first label of a labels editor: types `key`, and `value` when given. */
export async function addFirstLabel(user: UserEvent, key: string, value?: string): Promise<void> {
  await user.click(screen.getByRole('button', { name: 'Add label' }));
  await user.type(screen.getByLabelText('Key of label 1'), key);
  if (value !== undefined) await user.type(screen.getByLabelText('Value of label 1'), value);
}
