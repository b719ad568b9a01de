import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { type ReactNode, useId } from 'react';
import { ModalFooter } from './modal-footer.tsx';
import { ProblemAlert } from './problem-alert.tsx';

/** A modal that asks before doing something, and says why it could not be done. */
export function ConfirmModal(props: {
  header: string;
  confirmText: string;
  onConfirm: () => void;
  onDismiss: () => void;
  pending: boolean;
  error: unknown;
  children: ReactNode;
}) {
  const form = useId();
  return (
    <Modal
      visible
      closeAriaLabel="Close dialog"
      onDismiss={props.onDismiss}
      header={props.header}
      footer={
        <ModalFooter
          form={form}
          submitText={props.confirmText}
          onCancel={props.onDismiss}
          submitting={props.pending}
        />
      }
    >
      <form
        id={form}
        onSubmit={(event) => {
          event.preventDefault();
          if (!props.pending) props.onConfirm();
        }}
      >
        <SpaceBetween size="m">
          {props.children}
          {props.error ? <ProblemAlert error={props.error} /> : null}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
