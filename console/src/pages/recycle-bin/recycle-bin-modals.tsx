import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, idempotencyKey, type Snapshot } from '../../api/client.ts';
import { queryKeys, useInvalidateAfterChange } from '../../api/queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { FormModal } from '../../components/form-modal.tsx';
import { RouterLink } from '../../components/router-link.tsx';
import { TypedNameField } from '../../components/typed-name-field.tsx';
import { formatDays } from '../../format/units.ts';

/** Recover: takes a snapshot out of the bin, available and billed again from now. */
export function RecoverModal(props: { snapshot: Snapshot; onDismiss: () => void }) {
  const { snapshot } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const mutation = useMutation({
    mutationFn: () =>
      answerOf(
        api.POST('/v1/snapshots/{id}/recover', {
          params: { path: { id: snapshot.id } },
        }),
      ),
    onSuccess: (recovered) => {
      notify({
        type: 'success',
        header: `Snapshot ${recovered.name} is recovered`,
        content: (
          <>
            It is available again and billed from now.{' '}
            <RouterLink href="/snapshots">View it in Snapshots</RouterLink>
          </>
        ),
      });
      void invalidate();
      props.onDismiss();
    },
  });
  return (
    <ConfirmModal
      header={`Recover ${snapshot.name}?`}
      confirmText="Recover"
      onConfirm={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
    >
      <Box variant="p">
        The snapshot leaves the recycle bin and is available again: slices can be restored from it
        and made from it. Its billing resumes from now.
      </Box>
    </ConfirmModal>
  );
}

/**
 * Delete for good: removes the snapshot's image now, past the bin's days. Nothing brings it back,
 * so the user types the snapshot's name to confirm.
 */
export function PurgeModal(props: { snapshot: Snapshot; onDismiss: () => void }) {
  const { snapshot } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const [typed, setTyped] = useState('');
  const [key] = useState(idempotencyKey);
  const confirmed = typed === snapshot.name;
  const mutation = useMutation({
    mutationFn: () =>
      answerOf(
        api.DELETE('/v1/snapshots/{id}', {
          params: { path: { id: snapshot.id }, query: { purge: 'true' } },
          headers: { 'idempotency-key': key },
        }),
      ),
    onSuccess: (answer) => {
      notify({
        type: 'info',
        header: `Deleting ${snapshot.name} for good`,
        operation: {
          id: answer.operation.id,
          running: `Deleting snapshot ${snapshot.name} for good`,
          succeeded: `Snapshot ${snapshot.name} is deleted for good`,
          failed: `Snapshot ${snapshot.name} could not be deleted`,
        },
      });
      void invalidate();
      props.onDismiss();
    },
  });
  return (
    <FormModal
      header={`Delete ${snapshot.name} for good?`}
      submitText="Delete for good"
      onSubmit={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
      canSubmit={confirmed}
      spacing="l"
    >
      <Alert type="warning" header="This cannot be undone">
        The snapshot's image is deleted now, and the snapshot cannot be recovered afterwards. Slices
        made from it are not affected.
      </Alert>
      <TypedNameField noun="snapshot" name={snapshot.name} typed={typed} onTyped={setTyped} />
    </FormModal>
  );
}

/** The most days the recycle bin keeps a snapshot (the API refuses more). */
export const MAX_RECYCLE_BIN_DAYS = 14;

/** How many days the bin keeps a deleted snapshot: a whole number from 0 to 14. */
export function RetentionModal(props: { days: number; onDismiss: () => void }) {
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(String(props.days));
  const days = Number(value);
  const valid =
    value.trim() !== '' && Number.isInteger(days) && days >= 0 && days <= MAX_RECYCLE_BIN_DAYS;
  const mutation = useMutation({
    mutationFn: () => answerOf(api.PATCH('/v1/settings', { body: { recycleBinDays: days } })),
    onSuccess: (settings) => {
      queryClient.setQueryData(queryKeys.settings, settings);
      notify({
        type: 'success',
        header:
          settings.recycleBinDays === 0
            ? 'The recycle bin is off: deleted snapshots are deleted for good at once'
            : `Deleted snapshots are kept ${formatDays(settings.recycleBinDays)} in the recycle bin`,
      });
      props.onDismiss();
    },
  });
  return (
    <FormModal
      header="Recycle bin settings"
      submitText="Save"
      onSubmit={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
      errorFields={{ recycleBinDays: 'Days a deleted snapshot is kept' }}
      canSubmit={valid && days !== props.days}
    >
      <FormField
        label="Days a deleted snapshot is kept"
        description="A deleted snapshot waits this long in the recycle bin, not billed, before it is deleted for good."
        constraintText={`A whole number from 0 to ${MAX_RECYCLE_BIN_DAYS}; 0 turns the recycle bin off. A change applies to snapshots deleted from now on.`}
        errorText={valid ? undefined : `Enter a whole number from 0 to ${MAX_RECYCLE_BIN_DAYS}.`}
      >
        <Input
          type="number"
          inputMode="numeric"
          value={value}
          onChange={({ detail }) => setValue(detail.value)}
        />
      </FormField>
    </FormModal>
  );
}
