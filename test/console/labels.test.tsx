import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { labelChanges } from '../../console/src/components/labels.tsx';
import { labelRowErrors } from '../../console/src/components/labels-editor.tsx';
import { LabelsModal } from '../../console/src/components/labels-modal.tsx';
import { fakeApi, renderWithApi } from './support/fake-api.tsx';

describe('labelChanges', () => {
  it('sends new and changed values, and null for a removed key, nothing for the rest', () => {
    expect(
      labelChanges(
        { env: 'prod', role: 'db', keep: 'yes' },
        { env: 'staging', keep: 'yes', t: '' },
      ),
    ).toEqual({ env: 'staging', t: '', role: null });
  });
});

describe('labelRowErrors', () => {
  it('names a bad key, a bad value and a repeated key', () => {
    const errors = labelRowErrors([
      { key: 'Env', value: 'ok' },
      { key: 'env', value: 'Not OK' },
      { key: 'env', value: '' },
      { key: 'team.example/owner', value: 'web' },
    ]);
    expect(errors[0]?.key).toMatch(/a–z/);
    expect(errors[1]).toEqual({ key: undefined, value: 'Up to 63 of a–z, 0–9, . _ / -.' });
    expect(errors[2]?.key).toBe('This key is used already.');
    expect(errors[3]).toEqual({ key: undefined, value: undefined });
  });
});

describe('LabelsModal', () => {
  it('saves only the differences', async () => {
    const saved: unknown[] = [];
    const api = fakeApi({});
    const user = userEvent.setup();
    renderWithApi(
      <LabelsModal
        header="Labels of nightly"
        labels={{ env: 'prod', role: 'db' }}
        save={async (changes) => saved.push(changes)}
        onSaved={() => {}}
        onDismiss={() => {}}
      />,
      api.fetcher,
    );

    const value = screen.getByLabelText('Value of label 1');
    await user.clear(value);
    await user.type(value, 'staging');
    await user.click(screen.getAllByRole('button', { name: 'Remove' })[1] as HTMLElement);
    await user.click(screen.getByRole('button', { name: 'Save labels' }));

    await waitFor(() => expect(saved).toEqual([{ env: 'staging', role: null }]));
  });
});
