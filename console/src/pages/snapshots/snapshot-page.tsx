import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import type { Snapshot } from '../../api/client.ts';
import { useSnapshot } from '../../api/queries.ts';
import { navigate } from '../../app/router.ts';
import { LabelList } from '../../components/labels.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { ProtectedBadge } from '../../components/protection.tsx';
import { RouterLink } from '../../components/router-link.tsx';
import { SnapshotStatus } from '../../components/snapshot-status.tsx';
import { formatBytes, formatDuration, formatMoney, formatUtc } from '../../format/units.ts';

function Details(props: { snapshot: Snapshot; readAt: number }) {
  const { snapshot } = props;
  // The size is known once the image is stored; only an available snapshot is billed.
  const stored = ['available', 'recycled', 'deleting'].includes(snapshot.status);
  const billed = snapshot.status === 'available';
  return (
    <Container header={<Header variant="h2">Details</Header>}>
      <SpaceBetween size="l">
        <KeyValuePairs
          columns={3}
          items={[
            {
              label: 'Status',
              value: <SnapshotStatus snapshot={snapshot} readAt={props.readAt} />,
            },
            {
              label: 'Slice',
              value: (
                <RouterLink href={`/snapshots?sliceId=${encodeURIComponent(snapshot.sliceId)}`}>
                  {snapshot.sliceName}
                </RouterLink>
              ),
            },
            { label: 'Region', value: snapshot.region },
            { label: 'Size', value: stored ? formatBytes(snapshot.sizeBytes) : '—' },
            {
              label: 'Monthly cost',
              value: billed
                ? formatMoney(snapshot.monthlyCost.amount, snapshot.monthlyCost.currency)
                : '—',
            },
            { label: 'Created (UTC)', value: formatUtc(snapshot.createdAt) },
            { label: 'Duration', value: formatDuration(snapshot.durationSeconds) },
            {
              label: 'Taken by',
              value: snapshot.policyId ? (
                <RouterLink href={`/policies/${snapshot.policyId}`}>A snapshot policy</RouterLink>
              ) : (
                'A request by hand'
              ),
            },
            { label: 'Protection', value: <ProtectedBadge on={snapshot.protected} /> },
          ]}
        />
        {/* Two wider columns: a label's badge does not wrap, and a policy's label is long. */}
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Snapshot id', value: snapshot.id },
            { label: 'Labels', value: <LabelList labels={snapshot.labels} /> },
          ]}
        />
      </SpaceBetween>
    </Container>
  );
}

/**
 * One snapshot, as other pages link to it (a policy's run names the snapshots it took): its
 * details, and where to go on with it. Its actions are in the Snapshots table, which the slice's
 * link opens filtered to the slice.
 */
export default function SnapshotPage(props: { params: Record<string, string> }) {
  const id = props.params.id ?? '';
  const snapshot = useSnapshot(id);
  if (snapshot.error) {
    return <ProblemAlert error={snapshot.error} header="The snapshot could not be loaded" />;
  }
  if (!snapshot.data) return <Spinner size="large" />;
  const current = snapshot.data;
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button
                onClick={() =>
                  navigate(`/snapshots?sliceId=${encodeURIComponent(current.sliceId)}`)
                }
              >
                All snapshots of {current.sliceName}
              </Button>
              <Button
                variant="primary"
                disabled={current.status !== 'available'}
                onClick={() => navigate(`/slices/create?snapshotId=${current.id}`)}
              >
                Create slice
              </Button>
            </SpaceBetween>
          }
        >
          {current.name}
        </Header>
      }
    >
      <Details snapshot={current} readAt={snapshot.dataUpdatedAt} />
    </ContentLayout>
  );
}
