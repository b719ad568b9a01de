import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, idempotencyKey, type Snapshot } from '../../api/client.ts';
import {
  useAvailableSnapshots,
  useInvalidateAfterChange,
  useRegions,
  useSnapshot,
} from '../../api/queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { navigate, useLocation } from '../../app/router.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { formatBytes, formatUtc, gibAtLeast } from '../../format/units.ts';

const FIELD_LABELS = {
  name: 'Name',
  region: 'Region',
  diskGB: 'Disk size',
  snapshotId: 'Snapshot',
};

function snapshotOption(snapshot: Snapshot) {
  return {
    value: snapshot.id,
    label: snapshot.name,
    description: `${snapshot.region}, ${formatBytes(snapshot.sizeBytes)} of a ${formatBytes(snapshot.diskBytes)} disk, ${formatUtc(snapshot.createdAt)}`,
  };
}

/**
 * Create slice: blank, or from a snapshot (the documentation's "Create Slice" of a snapshot lands
 * here with it chosen). A snapshot fixes the region and the smallest disk.
 */
export default function CreateSlicePage() {
  const { query } = useLocation();
  const api = useApi();
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  const regions = useRegions();
  const available = useAvailableSnapshots();
  const [snapshotId, setSnapshotId] = useState<string | null>(query.get('snapshotId'));
  const [fromSnapshot, setFromSnapshot] = useState(snapshotId !== null);
  // A snapshot asked for by address may be older than the newest ones listed: read it alone.
  const asked = useSnapshot(snapshotId);
  const [name, setName] = useState('');
  const [region, setRegion] = useState<string | null>(null);
  const [diskGB, setDiskGB] = useState('');
  const [key] = useState(idempotencyKey);

  const snapshots = available.data ?? [];
  const snapshot =
    snapshots.find((each) => each.id === snapshotId) ??
    (asked.data?.id === snapshotId ? asked.data : undefined);
  const source = fromSnapshot ? snapshot : undefined;
  const minimumGB = source ? gibAtLeast(source.diskBytes) : 1;
  const chosenRegion = source?.region ?? region ?? regions.data?.[0]?.id ?? null;
  const chosenDisk = diskGB === '' ? minimumGB : Number(diskGB);

  const mutation = useMutation({
    mutationFn: () =>
      answerOf(
        api.POST('/v1/slices', {
          body: {
            name: name.trim(),
            region: chosenRegion ?? '',
            diskGB: chosenDisk,
            ...(source ? { snapshotId: source.id } : {}),
          },
          headers: { 'idempotency-key': key },
        }),
      ),
    onSuccess: (answer) => {
      const created = answer.slice.name;
      notify({
        type: 'info',
        header: `Creating ${created}`,
        operation: {
          id: answer.operation.id,
          running: source ? `Creating ${created} from ${source.name}` : `Creating ${created}`,
          succeeded: `Slice ${created} is ready`,
          failed: `Slice ${created} could not be created`,
        },
      });
      void invalidate();
      navigate('/slices');
    },
  });

  const options = snapshots.map(snapshotOption);
  if (snapshot && !snapshots.some((each) => each.id === snapshot.id)) {
    options.unshift(snapshotOption(snapshot));
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!mutation.isPending) mutation.mutate();
      }}
    >
      <Form
        header={<Header variant="h1">Create slice</Header>}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" formAction="none" onClick={() => navigate('/slices')}>
              Cancel
            </Button>
            <Button variant="primary" loading={mutation.isPending}>
              Create slice
            </Button>
          </SpaceBetween>
        }
        errorText={
          mutation.error ? (
            <ProblemAlert error={mutation.error} fieldLabels={FIELD_LABELS} />
          ) : undefined
        }
      >
        <Container header={<Header variant="h2">Slice</Header>}>
          <SpaceBetween size="l">
            <FormField label="Name" constraintText="1 to 255 characters.">
              <Input value={name} onChange={({ detail }) => setName(detail.value)} ariaRequired />
            </FormField>
            <FormField label="Image">
              <RadioGroup
                value={fromSnapshot ? 'snapshot' : 'blank'}
                onChange={({ detail }) => setFromSnapshot(detail.value === 'snapshot')}
                items={[
                  { value: 'blank', label: 'Blank disk' },
                  {
                    value: 'snapshot',
                    label: 'From a snapshot',
                    description: "The new slice's disk is written from the snapshot's image.",
                  },
                ]}
              />
            </FormField>
            {fromSnapshot ? (
              <FormField
                label="Snapshot"
                description="Only available snapshots can be used; the slice is made in the snapshot's region."
              >
                <Select
                  selectedOption={snapshot ? snapshotOption(snapshot) : null}
                  onChange={({ detail }) => setSnapshotId(detail.selectedOption.value ?? null)}
                  options={options}
                  filteringType="auto"
                  statusType={available.isPending ? 'loading' : 'finished'}
                  loadingText="Loading snapshots"
                  placeholder="Choose a snapshot"
                  empty="No available snapshot"
                  ariaRequired
                />
              </FormField>
            ) : null}
            <FormField label="Region">
              <Select
                disabled={source !== undefined}
                selectedOption={
                  chosenRegion
                    ? {
                        value: chosenRegion,
                        label:
                          regions.data?.find((each) => each.id === chosenRegion)?.name ??
                          chosenRegion,
                      }
                    : null
                }
                onChange={({ detail }) => setRegion(detail.selectedOption.value ?? null)}
                options={(regions.data ?? []).map((each) => ({
                  value: each.id,
                  label: each.name,
                  description: each.id,
                }))}
                statusType={regions.isPending ? 'loading' : 'finished'}
              />
            </FormField>
            <FormField
              label="Disk size (GiB)"
              constraintText={
                source
                  ? `At least ${minimumGB} GiB: the snapshot's disk. Left empty: ${minimumGB} GiB.`
                  : 'A whole number from 1 to 16384. Left empty: 1 GiB.'
              }
            >
              <Input
                type="number"
                inputMode="numeric"
                value={diskGB}
                placeholder={`${minimumGB}`}
                onChange={({ detail }) => setDiskGB(detail.value)}
              />
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}
