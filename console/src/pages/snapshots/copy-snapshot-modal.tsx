import Box from '@cloudscape-design/components/box';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, idempotencyKey, type Region, type Snapshot } from '../../api/client.ts';
import { useInvalidateAfterChange, useRegions } from '../../api/queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { FormModal } from '../../components/form-modal.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { RouterLink } from '../../components/router-link.tsx';

/** The regions a snapshot can be copied to: every served region but its own. */
export function copyTargets(snapshot: Snapshot, regions: readonly Region[]): Region[] {
  return regions.filter((region) => region.id !== snapshot.region);
}

/**
 * Copy to region: a new, independent snapshot in another region, named as the snapshot unless
 * another name is typed. The notice follows the copy's operation and links to the copy, which
 * the Snapshots table shows as Copying until it is available.
 */
export function CopySnapshotModal(props: { snapshot: Snapshot; onDismiss: () => void }) {
  const { snapshot } = props;
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const regions = useRegions();
  const targets = copyTargets(snapshot, regions.data ?? []);
  // With a single other region there is nothing to choose; with more, the user picks one.
  const [chosenId, setChosenId] = useState<string | null>(null);
  const target =
    targets.find((each) => each.id === chosenId) ??
    (chosenId === null && targets.length === 1 ? targets[0] : undefined);
  const [name, setName] = useState(snapshot.name);
  const [key] = useState(idempotencyKey);
  const copyName = name.trim() === '' ? snapshot.name : name.trim();

  const mutation = useMutation({
    mutationFn: (region: Region) =>
      answerOf(
        api.POST('/v1/snapshots/{id}/copy', {
          params: { path: { id: snapshot.id } },
          body: { region: region.id, ...(copyName === snapshot.name ? {} : { name: copyName }) },
          headers: { 'idempotency-key': key },
        }),
      ),
    onSuccess: (answer, region) => {
      const copy = answer.snapshot;
      notify({
        type: 'info',
        header: `Copying ${snapshot.name} to ${region.name}`,
        content: (
          <RouterLink href={`/snapshots/${copy.id}`}>
            Open the copy {copy.name} in {region.id}
          </RouterLink>
        ),
        operation: {
          id: answer.operation.id,
          running: `Copying ${snapshot.name} to ${region.name}`,
          succeeded: `The copy ${copy.name} in ${region.name} is available`,
          failed: `${snapshot.name} could not be copied to ${region.name}`,
        },
      });
      void invalidate();
      props.onDismiss();
    },
  });

  return (
    <FormModal
      header={`Copy ${snapshot.name} to another region`}
      submitText="Copy"
      onSubmit={() => {
        if (target) mutation.mutate(target);
      }}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
      errorFields={{ region: 'Region', name: 'Name of the copy' }}
      canSubmit={target !== undefined}
      spacing="l"
    >
      <Box variant="p">
        The copy is a snapshot of its own in the region you choose: slices of that region can be
        created or restored from it, it stays when this snapshot is deleted, and it is billed on its
        own once available. Only the data that region does not hold yet for your account is
        transferred.
      </Box>
      <FormField label="Region" description={`The snapshot is in ${snapshot.region}.`}>
        <Select
          selectedOption={target ? { value: target.id, label: target.name } : null}
          onChange={({ detail }) => setChosenId(detail.selectedOption.value ?? null)}
          options={targets.map((each) => ({
            value: each.id,
            label: each.name,
            description: each.id,
          }))}
          placeholder="Choose a region"
          statusType={regions.isPending ? 'loading' : 'finished'}
          loadingText="Loading regions"
          empty="No other region is served"
        />
      </FormField>
      <FormField
        label="Name of the copy"
        constraintText={`Optional: 1 to 255 characters. Left empty, the copy is named ${snapshot.name}.`}
      >
        <Input value={name} onChange={({ detail }) => setName(detail.value)} />
      </FormField>
      {regions.error ? (
        <ProblemAlert error={regions.error} header="The regions could not be loaded" />
      ) : null}
    </FormModal>
  );
}
