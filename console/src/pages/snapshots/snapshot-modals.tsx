import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, idempotencyKey, type Slice, type Snapshot } from '../../api/client.ts';
import { useInvalidateAfterChange, useSettings } from '../../api/queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { FormModal } from '../../components/form-modal.tsx';
import { RouterLink } from '../../components/router-link.tsx';
import { TypedNameField } from '../../components/typed-name-field.tsx';
import { formatBytes, formatDays, formatUtc } from '../../format/units.ts';

/** Slices a snapshot can be restored onto: same region, a disk at least the snapshot's, not gone. */
export function restoreTargets(snapshot: Snapshot, slices: readonly Slice[]): Slice[] {
  return slices.filter(
    (slice) =>
      slice.region === snapshot.region &&
      slice.diskBytes >= snapshot.diskBytes &&
      slice.status !== 'deleted',
  );
}

/**
 * Restore Slice: replaces all data on a slice's disk with the snapshot's image, so the user types
 * the slice's name to confirm. The target is the snapshot's own slice unless another is chosen.
 */
export function RestoreModal(props: {
  snapshot: Snapshot;
  slices: readonly Slice[];
  onDismiss: () => void;
}) {
  const { snapshot } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const targets = restoreTargets(snapshot, props.slices);
  const own = targets.find((slice) => slice.id === snapshot.sliceId);
  const [sliceId, setSliceId] = useState(own?.id ?? null);
  const [typed, setTyped] = useState('');
  const [key] = useState(idempotencyKey);
  const slice = targets.find((each) => each.id === sliceId);
  const confirmed = slice !== undefined && typed === slice.name;

  const mutation = useMutation({
    mutationFn: (target: Slice) =>
      answerOf(
        api.POST('/v1/snapshots/{id}/restore', {
          params: { path: { id: snapshot.id } },
          body: {
            confirm: true,
            ...(target.id === snapshot.sliceId ? {} : { sliceId: target.id }),
          },
          headers: { 'idempotency-key': key },
        }),
      ),
    onSuccess: (answer, target) => {
      notify({
        type: 'info',
        header: `Restoring ${target.name}`,
        operation: {
          id: answer.operation.id,
          running: `Restoring ${target.name} from ${snapshot.name}`,
          succeeded: `${target.name} is restored from ${snapshot.name}`,
          failed: `${target.name} could not be restored from ${snapshot.name}`,
        },
      });
      void invalidate();
      props.onDismiss();
    },
  });

  return (
    <FormModal
      header={`Restore a slice from ${snapshot.name}`}
      submitText="Restore"
      onSubmit={() => {
        if (slice && confirmed) mutation.mutate(slice);
      }}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
      canSubmit={confirmed}
      spacing="l"
    >
      <Alert type="warning" header="This replaces all data on the slice">
        Restoring a slice from a snapshot image replaces all data on the slice with the snapshot
        image: the slice goes back to {formatUtc(snapshot.createdAt)}, and whatever was written
        since is lost. A running slice is powered off for the restore and on again after.
      </Alert>
      {own ? null : (
        <Alert type="info">
          The slice this snapshot was taken from is deleted or cannot take it. Choose another slice
          of {snapshot.region} with a disk of at least {formatBytes(snapshot.diskBytes)}, or{' '}
          <RouterLink href={`/slices/create?snapshotId=${snapshot.id}`}>
            create a new slice from the snapshot
          </RouterLink>
          .
        </Alert>
      )}
      <FormField label="Slice to restore">
        <Select
          selectedOption={slice ? { value: slice.id, label: slice.name } : null}
          onChange={({ detail }) => {
            setSliceId(detail.selectedOption.value ?? null);
            setTyped('');
          }}
          options={targets.map((each) => ({
            value: each.id,
            label: each.name,
            description: `${each.region}, ${each.diskGB} GiB, power ${each.power}`,
          }))}
          placeholder="Choose a slice"
          empty="No slice of this region can take it"
        />
      </FormField>
      {slice ? (
        <TypedNameField noun="slice" name={slice.name} typed={typed} onTyped={setTyped} />
      ) : null}
    </FormModal>
  );
}

/** Rename: a form with the new name. */
export function RenameModal(props: { snapshot: Snapshot; onDismiss: () => void }) {
  const { snapshot } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const [name, setName] = useState(snapshot.name);
  const mutation = useMutation({
    mutationFn: () =>
      answerOf(
        api.PATCH('/v1/snapshots/{id}', {
          params: { path: { id: snapshot.id } },
          body: { name: name.trim() },
        }),
      ),
    onSuccess: (renamed) => {
      notify({ type: 'success', header: `Snapshot renamed to ${renamed.name}` });
      void invalidate();
      props.onDismiss();
    },
  });
  return (
    <FormModal
      header={`Rename ${snapshot.name}`}
      submitText="Rename"
      onSubmit={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
      errorFields={{ name: 'New name' }}
      canSubmit={name.trim() !== '' && name.trim() !== snapshot.name}
    >
      <FormField label="New name" constraintText="1 to 255 characters.">
        <Input value={name} onChange={({ detail }) => setName(detail.value)} />
      </FormField>
    </FormModal>
  );
}

/** What deleting a snapshot does, with the account's recycle bin of `days` (unknown while read). */
export function deletionText(days: number | undefined): string {
  if (days === undefined) return 'Once confirmed, the snapshot is deleted and its billing stops.';
  if (days === 0) {
    return 'The recycle bin is off (kept 0 days), so the snapshot is deleted for good at once and its billing stops. Slices made from it are not affected.';
  }
  return `The snapshot goes to the recycle bin for ${formatDays(days)}: its billing stops now, and you can recover it from there until then. After that it is deleted for good. Slices made from it are not affected.`;
}

/** Delete: asks, then moves the snapshot to the recycle bin (or deletes it when the bin is off). */
export function DeleteSnapshotModal(props: { snapshot: Snapshot; onDismiss: () => void }) {
  const { snapshot } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const settings = useSettings();
  const [key] = useState(idempotencyKey);
  const mutation = useMutation({
    mutationFn: () =>
      answerOf(
        api.DELETE('/v1/snapshots/{id}', {
          params: { path: { id: snapshot.id } },
          headers: { 'idempotency-key': key },
        }),
      ),
    onSuccess: (answer) => {
      if (answer.snapshot.status === 'recycled') {
        notify({
          type: 'success',
          header: `Snapshot ${snapshot.name} is in the recycle bin`,
          content: (
            <>
              Its billing has stopped. You can recover it until{' '}
              {answer.snapshot.purgeAt ? formatUtc(answer.snapshot.purgeAt) : 'it is purged'}.{' '}
              <RouterLink href="/recycle-bin">Open the recycle bin</RouterLink>
            </>
          ),
        });
      } else {
        notify({
          type: 'info',
          header: `Deleting ${snapshot.name}`,
          operation: {
            id: answer.operation.id,
            running: `Deleting snapshot ${snapshot.name}`,
            succeeded: `Snapshot ${snapshot.name} is deleted`,
            failed: `Snapshot ${snapshot.name} could not be deleted`,
          },
        });
      }
      void invalidate();
      props.onDismiss();
    },
  });
  return (
    <ConfirmModal
      header={`Delete ${snapshot.name}?`}
      confirmText="Delete"
      onConfirm={() => mutation.mutate()}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
    >
      <Box variant="p">{deletionText(settings.data?.recycleBinDays)}</Box>
    </ConfirmModal>
  );
}
