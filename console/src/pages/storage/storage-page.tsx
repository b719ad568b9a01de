import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Storage } from '../../api/client.ts';
import { useSlices } from '../../api/queries.ts';
import { useStorage } from '../../api/storage-queries.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { formatBytes, formatDedupRatio, formatMoney, formatUtc } from '../../format/units.ts';
import { SliceStorageTable, storageLines } from './slice-storage-table.tsx';

/** When the count runs, said where its figures are missing or dated. */
const WHEN_COUNTED =
  'The store is counted after a snapshot is taken or deleted for good, and once a day.';

function NotCountedYet() {
  return (
    <Container header={<Header variant="h2">Account</Header>}>
      <Box variant="strong">Not counted yet</Box>
      <Box variant="p">{WHEN_COUNTED} The figures appear here once the first count has run.</Box>
    </Container>
  );
}

function StorageSummary(props: { storage: Storage; asOf: string }) {
  const { storage } = props;
  return (
    <Container
      header={
        <Header variant="h2" description={`As of ${formatUtc(props.asOf)}. ${WHEN_COUNTED}`}>
          Account
        </Header>
      }
    >
      <KeyValuePairs
        columns={4}
        items={[
          { label: 'Data on disks snapshotted', value: formatBytes(storage.logicalBytes) },
          {
            label: 'Stored, after sharing and compression',
            value: formatBytes(storage.storedBytes),
          },
          { label: 'Sharing and compression', value: formatDedupRatio(storage.dedupRatio) },
          {
            label: 'Monthly cost',
            value: formatMoney(storage.monthlyCost.amount, storage.monthlyCost.currency),
          },
        ]}
      />
    </Container>
  );
}

/**
 * What the account's snapshots take in the store, as the latest count found it: the data they
 * were taken of, what is stored once chunks are shared and compressed, the monthly cost, and the
 * same by slice, with what deleting a slice's snapshots would free.
 */
export default function StoragePage() {
  const storage = useStorage();
  const slices = useSlices();
  const data = storage.data;
  const asOf = data?.asOf ?? null;
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Snapshots of your slices share the chunks their disks have in common, so together they take less than their sizes add up to."
        >
          Storage
        </Header>
      }
    >
      <SpaceBetween size="l">
        {storage.error ? (
          <ProblemAlert error={storage.error} header="The storage count could not be loaded" />
        ) : null}
        {data && asOf === null ? <NotCountedYet /> : null}
        {data && asOf !== null ? <StorageSummary storage={data} asOf={asOf} /> : null}
        {storage.isPending || asOf !== null ? (
          <SliceStorageTable
            lines={storageLines(data?.bySlice ?? [], slices.data)}
            loading={storage.isPending}
          />
        ) : null}
      </SpaceBetween>
    </ContentLayout>
  );
}
