import AttributeEditor from '@cloudscape-design/components/attribute-editor';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Labels } from '../api/client.ts';
import { labelChanges } from './labels.tsx';
import { ModalFooter } from './modal-footer.tsx';
import { ProblemAlert } from './problem-alert.tsx';

/** The API's rules for labels (README, Labels), checked as the user types. */
const KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
const VALUE = /^[a-z0-9._/-]{0,63}$/;
export const MAX_LABELS = 64;

interface Row {
  readonly key: string;
  readonly value: string;
}

/** What is wrong with each row (undefined when nothing), as the form shows it. */
export function labelRowErrors(rows: readonly Row[]): { key?: string; value?: string }[] {
  return rows.map((row, index) => ({
    key:
      row.key === ''
        ? 'Enter a key.'
        : !KEY.test(row.key)
          ? 'Up to 63 of a–z, 0–9, . _ / -, starting and ending with a letter or digit.'
          : rows.findIndex((other) => other.key === row.key) !== index
            ? 'This key is used already.'
            : undefined,
    value: VALUE.test(row.value) ? undefined : 'Up to 63 of a–z, 0–9, . _ / -.',
  }));
}

/**
 * Edit a resource's labels: the rows as they are now, added, changed or removed. Only the
 * differences are sent (the API merges them, and null removes a key).
 */
export function LabelsModal(props: {
  header: string;
  labels: Labels;
  save: (changes: Record<string, string | null>) => Promise<unknown>;
  onSaved: () => void;
  onDismiss: () => void;
}) {
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries(props.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => ({ key, value })),
  );
  const errors = labelRowErrors(rows);
  const valid = rows.length <= MAX_LABELS && errors.every((each) => !each.key && !each.value);
  const after = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  const changes = labelChanges(props.labels, after);
  const changed = Object.keys(changes).length > 0;
  const mutation = useMutation({
    mutationFn: () => props.save(changes),
    onSuccess: () => props.onSaved(),
  });
  const update = (index: number, row: Partial<Row>) =>
    setRows((current) => current.map((each, at) => (at === index ? { ...each, ...row } : each)));

  return (
    <Modal
      visible
      closeAriaLabel="Close dialog"
      onDismiss={props.onDismiss}
      header={props.header}
      size="large"
      footer={
        <ModalFooter
          form="edit-labels"
          submitText="Save labels"
          onCancel={props.onDismiss}
          submitting={mutation.isPending}
          disabled={!valid || !changed}
        />
      }
    >
      <form
        id="edit-labels"
        onSubmit={(event) => {
          event.preventDefault();
          if (valid && changed && !mutation.isPending) mutation.mutate();
        }}
      >
        <SpaceBetween size="m">
          <AttributeEditor
            items={rows}
            addButtonText="Add label"
            removeButtonText="Remove"
            disableAddButton={rows.length >= MAX_LABELS}
            additionalInfo={`Up to ${MAX_LABELS} labels. Keys and values use a–z, 0–9, . _ / -; a key may have a prefix, as team.example/owner.`}
            empty="No labels."
            onAddButtonClick={() => setRows((current) => [...current, { key: '', value: '' }])}
            onRemoveButtonClick={({ detail }) =>
              setRows((current) => current.filter((_, at) => at !== detail.itemIndex))
            }
            definition={[
              {
                label: 'Key',
                errorText: (_row, index) => errors[index]?.key,
                control: (row, index) => (
                  <Input
                    value={row.key}
                    ariaLabel={`Key of label ${index + 1}`}
                    onChange={({ detail }) => update(index, { key: detail.value })}
                  />
                ),
              },
              {
                label: 'Value',
                errorText: (_row, index) => errors[index]?.value,
                control: (row, index) => (
                  <Input
                    value={row.value}
                    ariaLabel={`Value of label ${index + 1}`}
                    onChange={({ detail }) => update(index, { value: detail.value })}
                  />
                ),
              },
            ]}
          />
          {mutation.error ? <ProblemAlert error={mutation.error} /> : null}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
