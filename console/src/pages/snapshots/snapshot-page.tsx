import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { useState } from 'react';
import type { Snapshot } from '../../api/client.ts';
import { explainOperationError } from '../../api/problem-words.ts';
import { useSlices, useSnapshot } from '../../api/queries.ts';
import { navigate } from '../../app/router.ts';
import { LabelList } from '../../components/labels.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { ProtectedBadge } from '../../components/protection.tsx';
import { RouterLink } from '../../components/router-link.tsx';
import { SnapshotStatus } from '../../components/snapshot-status.tsx';
import { CORRUPT_REFUSAL } from '../../components/verify-state.tsx';
import { formatBytes, formatDuration, formatMoney, formatUtc } from '../../format/units.ts';
import { CopiedFrom } from './copied-from.tsx';
import { CopySnapshotModal } from './copy-snapshot-modal.tsx';
import { SnapshotChangesPanel } from './snapshot-changes.tsx';
import { RestoreModal } from './snapshot-modals.tsx';
import { SnapshotStorage } from './snapshot-storage.tsx';
import { SnapshotVerification } from './snapshot-verification.tsx';

/** What made the snapshot: a policy (linked), a copy to this region, or a request by hand. */
function TakenBy(props: { snapshot: Snapshot }) {
  const { snapshot } = props;
  if (snapshot.policyId) {
    return <RouterLink href={`/policies/${snapshot.policyId}`}>A snapshot policy</RouterLink>;
  }
  if (snapshot.copiedFrom) return <>A copy from {snapshot.copiedFrom.region}</>;
  return <>A request by hand</>;
}

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
            { label: 'Taken by', value: <TakenBy snapshot={snapshot} /> },
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

/** Why Restore slice and Create slice are refused, or undefined when they are offered. */
function refusal(snapshot: Snapshot): string | undefined {
  if (snapshot.verifyState === 'corrupt') return CORRUPT_REFUSAL;
  if (snapshot.status !== 'available') return 'Only an available snapshot can be restored.';
  return undefined;
}

/** Why Copy to region is refused, or undefined when it is offered. */
function copyRefusal(snapshot: Snapshot): string | undefined {
  if (snapshot.verifyState === 'corrupt') return CORRUPT_REFUSAL;
  if (snapshot.status !== 'available') return 'Only an available snapshot can be copied.';
  return undefined;
}

function CorruptAlert() {
  const why = explainOperationError({ code: 'SNAPSHOT_CORRUPT', message: '' });
  return (
    <Alert type="error" header="This snapshot is corrupt">
      {why.summary} Restore slice and Create slice are refused. {why.action}
    </Alert>
  );
}

/**
 * One snapshot, as the Snapshots table and other pages link to it: its details, what it takes in
 * the store and has cost this month, what its latest verification found (and Verify), the changes since another snapshot of its slice, and Restore
 * slice, Copy to region and Create slice, which say why they are refused for a corrupt snapshot.
 * A copy names the snapshot it was copied from, and its region.
 */
export default function SnapshotPage(props: { params: Record<string, string> }) {
  const id = props.params.id ?? '';
  const snapshot = useSnapshot(id);
  const slices = useSlices();
  const [restoring, setRestoring] = useState(false);
  const [copying, setCopying] = useState(false);
  if (snapshot.error) {
    return <ProblemAlert error={snapshot.error} header="The snapshot could not be loaded" />;
  }
  if (!snapshot.data) return <Spinner size="large" />;
  const current = snapshot.data;
  const refused = refusal(current);
  const copyRefused = copyRefusal(current);
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
                disabled={refused !== undefined}
                {...(refused ? { disabledReason: refused } : {})}
                onClick={() => setRestoring(true)}
              >
                Restore slice
              </Button>
              <Button
                disabled={copyRefused !== undefined}
                {...(copyRefused ? { disabledReason: copyRefused } : {})}
                onClick={() => setCopying(true)}
              >
                Copy to region
              </Button>
              <Button
                variant="primary"
                disabled={refused !== undefined}
                {...(refused ? { disabledReason: refused } : {})}
                onClick={() => navigate(`/slices/create?snapshotId=${current.id}`)}
              >
                Create slice
              </Button>
            </SpaceBetween>
          }
          {...(current.copiedFrom
            ? { description: <CopiedFrom source={current.copiedFrom} /> }
            : {})}
        >
          {current.name}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {current.verifyState === 'corrupt' ? <CorruptAlert /> : null}
        <Details snapshot={current} readAt={snapshot.dataUpdatedAt} />
        <SnapshotStorage snapshot={current} />
        <SnapshotVerification snapshot={current} />
        <SnapshotChangesPanel snapshot={current} />
      </SpaceBetween>
      {restoring ? (
        <RestoreModal
          snapshot={current}
          slices={slices.data ?? []}
          onDismiss={() => setRestoring(false)}
        />
      ) : null}
      {copying ? (
        <CopySnapshotModal snapshot={current} onDismiss={() => setCopying(false)} />
      ) : null}
    </ContentLayout>
  );
}
