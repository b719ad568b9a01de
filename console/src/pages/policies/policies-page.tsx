import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { SnapshotPolicy } from '../../api/client.ts';
import { isRunGoing, usePolicies, usePolicyRuns } from '../../api/policy-queries.ts';
import { useSlices } from '../../api/queries.ts';
import { navigate } from '../../app/router.ts';
import { RouterLink } from '../../components/router-link.tsx';
import { TableEmpty } from '../../components/table-parts.tsx';
import { formatUtc } from '../../format/units.ts';
import { DeletePolicyModal, useRunPolicy, useSetPolicyEnabled } from './policy-actions.tsx';
import { EnabledStatus } from './policy-status.tsx';
import { RUN_GOING_REASON, retainText, scheduleText, targetText } from './policy-words.ts';

/** A policy's newest run: when it started, and whether it is still going. */
function LastRun(props: { policyId: string }) {
  const runs = usePolicyRuns(props.policyId, 1);
  const last = runs.data?.[0];
  if (runs.isPending) return <StatusIndicator type="loading">Loading</StatusIndicator>;
  if (!last) return <>Never</>;
  if (last.status === 'running') {
    return (
      <StatusIndicator type="in-progress">
        Running since {formatUtc(last.startedAt)}
      </StatusIndicator>
    );
  }
  return <>{formatUtc(last.startedAt)}</>;
}

function PolicyActions(props: {
  policy: SnapshotPolicy;
  onDelete: (policy: SnapshotPolicy) => void;
}) {
  const { policy } = props;
  const setEnabled = useSetPolicyEnabled();
  // The same query as the row's Last run, so no request more.
  const runs = usePolicyRuns(policy.id, 1);
  const runPolicy = useRunPolicy({ linkToRuns: true });
  const going = isRunGoing(runs.data) || runPolicy.isPending;
  return (
    <ButtonDropdown
      variant="icon"
      ariaLabel={`Actions for policy ${policy.name}`}
      expandToViewport
      items={[
        {
          id: 'run',
          text: 'Run now',
          disabled: going,
          ...(going ? { disabledReason: RUN_GOING_REASON } : {}),
        },
        { id: 'edit', text: 'Edit' },
        { id: 'toggle', text: policy.enabled ? 'Disable' : 'Enable' },
        { id: 'delete', text: 'Delete' },
      ]}
      onItemClick={({ detail }) => {
        if (detail.id === 'run') runPolicy.mutate(policy);
        if (detail.id === 'edit') navigate(`/policies/${policy.id}/edit`);
        if (detail.id === 'toggle') setEnabled.mutate({ policy, enabled: !policy.enabled });
        if (detail.id === 'delete') props.onDelete(policy);
      }}
    />
  );
}

function columns(
  sliceNames: ReadonlyMap<string, string>,
  onDelete: (policy: SnapshotPolicy) => void,
): TableProps.ColumnDefinition<SnapshotPolicy>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      isRowHeader: true,
      cell: (policy) => <RouterLink href={`/policies/${policy.id}`}>{policy.name}</RouterLink>,
    },
    {
      id: 'enabled',
      header: 'Status',
      cell: (policy) => <EnabledStatus enabled={policy.enabled} />,
    },
    { id: 'schedule', header: 'Schedule', cell: (policy) => scheduleText(policy.schedule) },
    { id: 'target', header: 'Target', cell: (policy) => targetText(policy.target, sliceNames) },
    { id: 'retain', header: 'Keep', cell: (policy) => retainText(policy.retain) },
    {
      id: 'nextRun',
      header: 'Next run',
      cell: (policy) => (policy.nextRunAt ? formatUtc(policy.nextRunAt) : '—'),
    },
    { id: 'lastRun', header: 'Last run', cell: (policy) => <LastRun policyId={policy.id} /> },
    {
      id: 'actions',
      header: <Box variant="span">Actions</Box>,
      cell: (policy) => <PolicyActions policy={policy} onDelete={onDelete} />,
    },
  ];
}

/**
 * The account's snapshot policies: when each runs, which slices, what it keeps, its next and last
 * run; Create, and from a row's menu Run now, Edit, Enable or Disable, Delete.
 */
export default function PoliciesPage() {
  const policies = usePolicies();
  const slices = useSlices();
  const [deleting, setDeleting] = useState<SnapshotPolicy | null>(null);
  const sliceNames = new Map((slices.data ?? []).map((slice) => [slice.id, slice.name]));
  const items = policies.data ?? [];
  return (
    <>
      <Table
        variant="full-page"
        items={items}
        trackBy="id"
        wrapLines
        columnDefinitions={columns(sliceNames, setDeleting)}
        loading={policies.isPending}
        loadingText="Loading policies"
        ariaLabels={{ tableLabel: 'Snapshot policies' }}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={policies.data ? `(${items.length})` : undefined}
            description="Snapshots of slices on a schedule, and which of them to keep. Pruned snapshots go to the recycle bin."
            actions={
              <Button variant="primary" onClick={() => navigate('/policies/create')}>
                Create policy
              </Button>
            }
          >
            Snapshot policies
          </Header>
        }
        empty={
          <TableEmpty
            error={policies.error}
            errorHeader="The policies could not be loaded"
            title="No snapshot policy"
          >
            A policy takes snapshots on a schedule and prunes the old ones.
          </TableEmpty>
        }
      />
      {deleting ? (
        <DeletePolicyModal policy={deleting} onDismiss={() => setDeleting(null)} />
      ) : null}
    </>
  );
}
