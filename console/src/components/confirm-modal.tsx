import type { ReactNode } from 'react';
import { FormModal } from './form-modal.tsx';

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
  return (
    <FormModal
      header={props.header}
      submitText={props.confirmText}
      onSubmit={props.onConfirm}
      onDismiss={props.onDismiss}
      pending={props.pending}
      error={props.error}
    >
      {props.children}
    </FormModal>
  );
}
