import Box from '@cloudscape-design/components/box';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, idempotencyKey, type Slice } from '../../api/client.ts';
import { useInvalidateAfterChange } from '../../api/queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { LabelsModal } from '../../components/labels-modal.tsx';
import { ProtectionModal } from '../../components/protection-modal.tsx';

/** Power a slice on or off, after asking. */
export function PowerModal(props: { slice: Slice; state: 'on' | 'off'; onDismiss: () => void }) {
  const { slice, state } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const [key] = useState(idempotencyKey);
  const verb = state === 'on' ? 'Power on' : 'Power off';
  const mutation = useMutation({
    mutationFn: () =>
      answerOf(
        api.POST('/v1/slices/{id}/power', {
          params: { path: { id: slice.id } },
          body: { state },
          headers: { 'idempotency-key': key },
        }),
      ),
    onSuccess: (answer) => {
      notify({
        type: 'info',
        header: `${verb}: ${slice.name}`,
        operation: {
          id: answer.operation.id,
          running: `Powering ${state} ${slice.name}`,
          succeeded: `${slice.name} is powered ${state}`,
          failed: `${slice.name} could not be powered ${state}`,
        },
      });
      void invalidate();
      props.onDismiss();
    },
  });
  return (
    <ConfirmModal
      header={`${verb} ${slice.name}?`}
      confirmText={verb}
      onConfirm={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
    >
      <Box variant="p">
        {state === 'off'
          ? 'The guest is asked to shut down (the ACPI power button); if it has not within 60 seconds, the power is cut.'
          : 'The slice boots from its disk.'}
      </Box>
    </ConfirmModal>
  );
}

/** Delete a slice, after asking; its snapshots stay. */
export function DeleteSliceModal(props: { slice: Slice; onDismiss: () => void }) {
  const { slice } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const [key] = useState(idempotencyKey);
  const mutation = useMutation({
    mutationFn: () =>
      answerOf(
        api.DELETE('/v1/slices/{id}', {
          params: { path: { id: slice.id } },
          headers: { 'idempotency-key': key },
        }),
      ),
    onSuccess: (answer) => {
      notify({
        type: 'info',
        header: `Deleting ${slice.name}`,
        operation: {
          id: answer.operation.id,
          running: `Deleting slice ${slice.name}`,
          succeeded: `Slice ${slice.name} is deleted`,
          failed: `Slice ${slice.name} could not be deleted`,
        },
      });
      void invalidate();
      props.onDismiss();
    },
  });
  return (
    <ConfirmModal
      header={`Delete ${slice.name}?`}
      confirmText="Delete"
      onConfirm={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
    >
      <Box variant="p">
        The slice is powered off and its disk is deleted. Its snapshots stay: they are still listed,
        billed, and can be made into a new slice.
      </Box>
    </ConfirmModal>
  );
}

/** Turn a slice's delete protection on or off, after saying what it means. */
export function SliceProtectionModal(props: { slice: Slice; onDismiss: () => void }) {
  const { slice } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  return (
    <ProtectionModal
      name={slice.name}
      what="delete protection"
      on={!slice.deleteProtected}
      effect="the slice cannot be deleted; it can still be powered, snapshotted and restored"
      save={(on) =>
        answerOf(
          api.PATCH('/v1/slices/{id}', {
            params: { path: { id: slice.id } },
            body: { deleteProtected: on },
          }),
        )
      }
      onSaved={(on) => {
        notify({
          type: 'success',
          header: on
            ? `Slice ${slice.name} has delete protection on`
            : `Slice ${slice.name} has delete protection off`,
        });
        void invalidate();
        props.onDismiss();
      }}
      onDismiss={props.onDismiss}
    />
  );
}

/** Edit a slice's labels; only the differences are sent, since the API merges them. */
export function SliceLabelsModal(props: { slice: Slice; onDismiss: () => void }) {
  const { slice } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  return (
    <LabelsModal
      header={`Labels of ${slice.name}`}
      labels={slice.labels}
      save={(labels) =>
        answerOf(
          api.PATCH('/v1/slices/{id}', { params: { path: { id: slice.id } }, body: { labels } }),
        )
      }
      onSaved={() => {
        notify({ type: 'success', header: `Labels of ${slice.name} saved` });
        void invalidate();
        props.onDismiss();
      }}
      onDismiss={props.onDismiss}
    />
  );
}
