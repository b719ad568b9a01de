import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Labels } from '../api/client.ts';
import { FormModal } from './form-modal.tsx';
import { labelChanges } from './labels.tsx';
import {
  type LabelRow,
  LabelsEditor,
  labelRowsOf,
  labelRowsValid,
  labelsOfRows,
} from './labels-editor.tsx';

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
  const [rows, setRows] = useState<LabelRow[]>(() => labelRowsOf(props.labels));
  const valid = labelRowsValid(rows);
  const changes = labelChanges(props.labels, labelsOfRows(rows));
  const changed = Object.keys(changes).length > 0;
  const mutation = useMutation({
    mutationFn: () => props.save(changes),
    onSuccess: () => props.onSaved(),
  });

  return (
    <FormModal
      header={props.header}
      submitText="Save labels"
      onSubmit={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
      canSubmit={valid && changed}
      size="large"
    >
      <LabelsEditor rows={rows} onChange={setRows} />
    </FormModal>
  );
}
