import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Labels } from '../api/client.ts';
import { labelChanges } from './labels.tsx';
import {
  type LabelRow,
  LabelsEditor,
  labelRowsOf,
  labelRowsValid,
  labelsOfRows,
} from './labels-editor.tsx';
import { ModalFooter } from './modal-footer.tsx';
import { ProblemAlert } from './problem-alert.tsx';

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
          <LabelsEditor rows={rows} onChange={setRows} />
          {mutation.error ? <ProblemAlert error={mutation.error} /> : null}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
