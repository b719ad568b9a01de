import Modal, { type ModalProps } from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { type ReactNode, useId } from 'react';
import { ModalFooter } from './modal-footer.tsx';
import { ProblemAlert } from './problem-alert.tsx';

/**
 * A modal whose body is one form: Cancel and its submit button in the footer, the form submitted
 * (by the button or by Enter) only while `canSubmit` holds and nothing is pending, and the API's
 * problem, if the last try had one, below the fields.
 */
export function FormModal(props: {
  header: string;
  submitText: string;
  onSubmit: () => void;
  onDismiss: () => void;
  pending: boolean;
  error: unknown;
  /** The labels of the form's fields, by the names the API's problem gives them. */
  errorFields?: Record<string, string>;
  canSubmit?: boolean;
  size?: ModalProps['size'];
  spacing?: 'm' | 'l';
  children: ReactNode;
}) {
  const form = useId();
  const canSubmit = props.canSubmit ?? true;
  return (
    <Modal
      visible
      closeAriaLabel="Close dialog"
      onDismiss={props.onDismiss}
      header={props.header}
      size={props.size}
      footer={
        <ModalFooter
          form={form}
          submitText={props.submitText}
          onCancel={props.onDismiss}
          submitting={props.pending}
          disabled={!canSubmit}
        />
      }
    >
      <form
        id={form}
        onSubmit={(event) => {
          event.preventDefault();
          if (canSubmit && !props.pending) props.onSubmit();
        }}
      >
        <SpaceBetween size={props.spacing ?? 'm'}>
          {props.children}
          {props.error ? (
            <ProblemAlert error={props.error} fieldLabels={props.errorFields} />
          ) : null}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
