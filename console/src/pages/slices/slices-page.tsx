import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import StatusIndicator, {
  type StatusIndicatorProps,
} from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Slice } from '../../api/client.ts';
import { useSlices } from '../../api/queries.ts';
import { navigate } from '../../app/router.ts';
import { LabelList } from '../../components/labels.tsx';
import { ProtectedName } from '../../components/protection.tsx';
import { TableEmpty } from '../../components/table-parts.tsx';
import { formatBytes, formatUtc } from '../../format/units.ts';
import {
  DeleteSliceModal,
  PowerModal,
  SliceLabelsModal,
  SliceProtectionModal,
} from './slice-actions.tsx';
import { TakeSnapshotModal } from './take-snapshot-modal.tsx';

const STATUS: Record<Slice['status'], { type: StatusIndicatorProps.Type; text: string }> = {
  building: { type: 'in-progress', text: 'Building' },
  active: { type: 'success', text: 'Active' },
  busy: { type: 'in-progress', text: 'Busy' },
  error: { type: 'error', text: 'Error' },
  deleted: { type: 'stopped', text: 'Deleted' },
};

type Dialog =
  | { kind: 'snapshot'; slice: Slice }
  | { kind: 'power'; slice: Slice; state: 'on' | 'off' }
  | { kind: 'delete'; slice: Slice }
  | { kind: 'protection'; slice: Slice }
  | { kind: 'labels'; slice: Slice };

function SliceActions(props: { slice: Slice; open: (dialog: Dialog) => void }) {
  const { slice, open } = props;
  const idle = slice.status === 'active';
  return (
    <ButtonDropdown
      variant="icon"
      ariaLabel={`Actions for slice ${slice.name}`}
      expandToViewport
      items={[
        { id: 'snapshot', text: 'Take snapshot', disabled: !idle },
        { id: 'power-on', text: 'Power on', disabled: !idle || slice.power === 'on' },
        { id: 'power-off', text: 'Power off', disabled: !idle || slice.power === 'off' },
        { id: 'labels', text: 'Edit labels', disabled: slice.status === 'deleted' },
        {
          id: 'protection',
          text: slice.deleteProtected ? 'Turn off delete protection' : 'Turn on delete protection',
          disabled: slice.status === 'deleted',
        },
        { id: 'delete', text: 'Delete', disabled: slice.status === 'busy' },
      ]}
      onItemClick={({ detail }) => {
        if (detail.id === 'snapshot') open({ kind: 'snapshot', slice });
        if (detail.id === 'power-on') open({ kind: 'power', slice, state: 'on' });
        if (detail.id === 'power-off') open({ kind: 'power', slice, state: 'off' });
        if (detail.id === 'labels') open({ kind: 'labels', slice });
        if (detail.id === 'protection') open({ kind: 'protection', slice });
        if (detail.id === 'delete') open({ kind: 'delete', slice });
      }}
    />
  );
}

/** The account's slices: status and power, create, power on and off, snapshot, delete. */
export default function SlicesPage() {
  const slices = useSlices();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const items = slices.data ?? [];
  const columns: TableProps.ColumnDefinition<Slice>[] = [
    {
      id: 'name',
      header: 'Name',
      cell: (slice) => (
        <ProtectedName name={slice.name} on={slice.deleteProtected} label="Delete protection on" />
      ),
      isRowHeader: true,
    },
    { id: 'region', header: 'Region', cell: (slice) => slice.region },
    {
      id: 'status',
      header: 'Status',
      cell: (slice) => (
        <StatusIndicator type={STATUS[slice.status].type}>
          {STATUS[slice.status].text}
        </StatusIndicator>
      ),
    },
    {
      id: 'power',
      header: 'Power',
      cell: (slice) => (
        <StatusIndicator type={slice.power === 'on' ? 'success' : 'stopped'}>
          {slice.power === 'on' ? 'On' : 'Off'}
        </StatusIndicator>
      ),
    },
    { id: 'disk', header: 'Disk', cell: (slice) => `${slice.diskGB} GiB` },
    {
      id: 'used',
      header: 'In use',
      cell: (slice) => (slice.usedBytes > 0 ? formatBytes(slice.usedBytes) : '—'),
    },
    { id: 'labels', header: 'Labels', cell: (slice) => <LabelList labels={slice.labels} /> },
    { id: 'created', header: 'Created (UTC)', cell: (slice) => formatUtc(slice.createdAt) },
    {
      id: 'actions',
      header: <Box variant="span">Actions</Box>,
      cell: (slice) => <SliceActions slice={slice} open={setDialog} />,
    },
  ];
  return (
    <>
      <Table
        variant="full-page"
        items={items}
        trackBy="id"
        // The actions stay in view when the columns are wider than the screen.
        stickyColumns={{ first: 0, last: 1 }}
        columnDefinitions={columns}
        loading={slices.isPending}
        loadingText="Loading slices"
        ariaLabels={{ tableLabel: 'Slices' }}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={slices.data ? `(${items.length})` : undefined}
            description="Your virtual machines. Take a snapshot of one before a risky change."
            actions={
              <Button variant="primary" onClick={() => navigate('/slices/create')}>
                Create slice
              </Button>
            }
          >
            Slices
          </Header>
        }
        empty={
          <TableEmpty
            error={slices.error}
            errorHeader="The slices could not be loaded"
            title="No slices"
          >
            Create a slice, blank or from a snapshot.
          </TableEmpty>
        }
      />
      {dialog?.kind === 'snapshot' ? (
        <TakeSnapshotModal
          slices={items}
          sliceId={dialog.slice.id}
          onDismiss={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'power' ? (
        <PowerModal slice={dialog.slice} state={dialog.state} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <DeleteSliceModal slice={dialog.slice} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'labels' ? (
        <SliceLabelsModal slice={dialog.slice} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'protection' ? (
        <SliceProtectionModal slice={dialog.slice} onDismiss={() => setDialog(null)} />
      ) : null}
    </>
  );
}
