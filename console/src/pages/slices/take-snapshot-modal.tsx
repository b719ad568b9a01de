import Alert from '@cloudscape-design/components/alert';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, idempotencyKey, type Slice } from '../../api/client.ts';
import { useInvalidateAfterChange } from '../../api/queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { FormModal } from '../../components/form-modal.tsx';
import {
  type LabelRow,
  LabelsEditor,
  labelRowsValid,
  labelsOfRows,
} from '../../components/labels-editor.tsx';
import { SnapshotQuoteView } from './snapshot-quote.tsx';

/**
 * "Create snapshot" of the documentation: choose the slice (unless given), name the snapshot,
 * and choose whether to power off first, with the advice and the host's quote before confirming.
 */
export function TakeSnapshotModal(props: {
  slices: readonly Slice[];
  sliceId?: string;
  onDismiss: () => void;
}) {
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const candidates = props.slices.filter((slice) => slice.status === 'active');
  // Until the user chooses, the first active slice (the list may still be loading on opening).
  const [chosenId, setSliceId] = useState<string | null>(props.sliceId ?? null);
  const [name, setName] = useState('');
  const [powerOff, setPowerOff] = useState(true);
  const [labels, setLabels] = useState<LabelRow[]>([]);
  const labelsValid = labelRowsValid(labels);
  const [key] = useState(idempotencyKey);
  const slice =
    chosenId === null ? candidates[0] : props.slices.find((each) => each.id === chosenId);

  const mutation = useMutation({
    mutationFn: (target: Slice) =>
      answerOf(
        api.POST('/v1/slices/{id}/snapshots', {
          params: { path: { id: target.id } },
          body: {
            ...(name.trim() ? { name: name.trim() } : {}),
            powerOff,
            ...(labels.length > 0 ? { labels: labelsOfRows(labels) } : {}),
          },
          headers: { 'idempotency-key': key },
        }),
      ),
    onSuccess: (answer) => {
      const snapshotName = answer.snapshot.name;
      notify({
        type: 'info',
        header: `Taking snapshot ${snapshotName}`,
        operation: {
          id: answer.operation.id,
          running: `Taking snapshot ${snapshotName}`,
          succeeded: `Snapshot ${snapshotName} is available`,
          failed: `Snapshot ${snapshotName} failed`,
        },
      });
      void invalidate();
      props.onDismiss();
    },
  });

  return (
    <FormModal
      header="Create snapshot"
      submitText="Create"
      onSubmit={() => {
        if (slice && labelsValid) mutation.mutate(slice);
      }}
      onDismiss={props.onDismiss}
      pending={mutation.isPending}
      error={mutation.error}
      errorFields={{
        name: 'Snapshot name',
        powerOff: 'While the snapshot is taken',
        labels: 'Labels',
      }}
      canSubmit={slice !== undefined && labelsValid}
      size="medium"
      spacing="l"
    >
      <Alert type="info" header="Power off first (recommended)">
        Although not necessary, it is recommended that you power off your slice before taking a
        snapshot. You don't have to leave it powered off the entire time: it is powered back on as
        soon as its disk is captured, and the upload goes on while it runs.
      </Alert>
      {props.sliceId ? null : (
        <FormField label="Slice" description="The slice to take a snapshot of.">
          <Select
            selectedOption={slice ? { value: slice.id, label: slice.name } : null}
            onChange={({ detail }) => setSliceId(detail.selectedOption.value ?? null)}
            options={candidates.map((each) => ({
              value: each.id,
              label: each.name,
              description: `${each.region}, power ${each.power}`,
            }))}
            placeholder="Choose a slice"
            empty="No active slice"
            ariaRequired
          />
        </FormField>
      )}
      <FormField
        label="Snapshot name"
        constraintText={`Up to 255 characters. Left empty: ${slice ? slice.name : '<slice name>'}-<time>.`}
      >
        <Input
          value={name}
          onChange={({ detail }) => setName(detail.value)}
          placeholder={slice ? `${slice.name}-${Math.floor(Date.now() / 1000)}` : ''}
        />
      </FormField>
      <FormField label="While the snapshot is taken">
        <RadioGroup
          value={powerOff ? 'off' : 'on'}
          onChange={({ detail }) => setPowerOff(detail.value === 'off')}
          items={[
            {
              value: 'off',
              label: 'Power off first (recommended)',
              description:
                'A consistent image: the slice is shut down for the capture and powered on again at once.',
            },
            {
              value: 'on',
              label: 'Keep the slice running',
              description:
                'No downtime; the image is crash-consistent, like the disk after a power cut.',
            },
          ]}
        />
      </FormField>
      {slice ? <SnapshotQuoteView slice={slice} powerOff={powerOff} /> : null}
      <SpaceBetween size="xs">
        <Header
          variant="h3"
          description="Put on the snapshot; the Snapshots table filters by them."
        >
          Labels (optional)
        </Header>
        <LabelsEditor rows={labels} onChange={setLabels} />
      </SpaceBetween>
    </FormModal>
  );
}
