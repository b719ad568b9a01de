import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import CollectionPreferences, {
  type CollectionPreferencesProps,
} from '@cloudscape-design/components/collection-preferences';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { answerOf, type Snapshot } from '../../api/client.ts';
import {
  isSnapshotInProgress,
  useInvalidateAfterChange,
  useRegions,
  useSlices,
  useSnapshotPage,
} from '../../api/queries.ts';
import { useNotify } from '../../app/notifications.tsx';
import { navigate, useLocation } from '../../app/router.ts';
import { useCursorPages } from '../../components/cursor-pages.ts';
import { LabelList } from '../../components/labels.tsx';
import { LabelsModal } from '../../components/labels-modal.tsx';
import { ProtectedBadge, ProtectedName } from '../../components/protection.tsx';
import { ProtectionModal } from '../../components/protection-modal.tsx';
import { RouterLink } from '../../components/router-link.tsx';
import { SnapshotStatus } from '../../components/snapshot-status.tsx';
import { CursorPagination, TableEmpty } from '../../components/table-parts.tsx';
import { CORRUPT_REFUSAL } from '../../components/verify-state.tsx';
import { formatBytes, formatDuration, formatMoney, formatUtc } from '../../format/units.ts';
import { TakeSnapshotModal } from '../slices/take-snapshot-modal.tsx';
import { CopySnapshotModal } from './copy-snapshot-modal.tsx';
import { DeleteSnapshotModal, RenameModal, RestoreModal } from './snapshot-modals.tsx';

type Dialog =
  | { kind: 'create' }
  | { kind: 'restore'; snapshot: Snapshot }
  | { kind: 'copy'; snapshot: Snapshot }
  | { kind: 'rename'; snapshot: Snapshot }
  | { kind: 'delete'; snapshot: Snapshot }
  | { kind: 'labels'; snapshot: Snapshot }
  | { kind: 'protection'; snapshot: Snapshot };

const ALL = '';
const PAGE_SIZES = [10, 25, 50, 100];
const DEFAULT_PREFERENCES: CollectionPreferencesProps.Preferences = {
  pageSize: 25,
  // Wrapped lines keep the default columns within a 1280 px window, side navigation open.
  wrapLines: true,
  contentDisplay: [
    { id: 'name', visible: true },
    { id: 'region', visible: true },
    { id: 'size', visible: true },
    { id: 'duration', visible: true },
    { id: 'created', visible: true },
    { id: 'status', visible: true },
    { id: 'labels', visible: true },
    { id: 'protection', visible: false },
    { id: 'slice', visible: false },
    { id: 'monthlyCost', visible: false },
    { id: 'actions', visible: true },
  ],
};

function SnapshotActions(props: { snapshot: Snapshot; open: (dialog: Dialog) => void }) {
  const { snapshot, open } = props;
  const available = snapshot.status === 'available';
  const corrupt = snapshot.verifyState === 'corrupt';
  const settled = !isSnapshotInProgress(snapshot);
  const refused = corrupt ? { disabledReason: CORRUPT_REFUSAL } : {};
  return (
    <ButtonDropdown
      variant="icon"
      ariaLabel={`Actions for snapshot ${snapshot.name}`}
      expandToViewport
      items={[
        { id: 'create-slice', text: 'Create slice', disabled: !available || corrupt, ...refused },
        { id: 'restore', text: 'Restore slice', disabled: !available || corrupt, ...refused },
        { id: 'copy', text: 'Copy to region', disabled: !available || corrupt, ...refused },
        { id: 'rename', text: 'Rename', disabled: snapshot.status === 'deleting' },
        { id: 'labels', text: 'Edit labels', disabled: snapshot.status === 'deleting' },
        {
          id: 'protection',
          text: snapshot.protected ? 'Turn off protection' : 'Turn on protection',
          disabled: snapshot.status === 'deleting',
        },
        { id: 'delete', text: 'Delete', disabled: !settled },
      ]}
      onItemClick={({ detail }) => {
        if (detail.id === 'create-slice') navigate(`/slices/create?snapshotId=${snapshot.id}`);
        if (detail.id === 'restore') open({ kind: 'restore', snapshot });
        if (detail.id === 'copy') open({ kind: 'copy', snapshot });
        if (detail.id === 'rename') open({ kind: 'rename', snapshot });
        if (detail.id === 'labels') open({ kind: 'labels', snapshot });
        if (detail.id === 'protection') open({ kind: 'protection', snapshot });
        if (detail.id === 'delete') open({ kind: 'delete', snapshot });
      }}
    />
  );
}

function columns(
  readAt: number,
  open: (dialog: Dialog) => void,
): TableProps.ColumnDefinition<Snapshot>[] {
  const settledOnly = (snapshot: Snapshot, text: string) =>
    snapshot.status === 'available' || snapshot.status === 'deleting' ? text : '—';
  return [
    {
      id: 'name',
      header: 'Name',
      cell: (snapshot) => (
        <ProtectedName
          name={<RouterLink href={`/snapshots/${snapshot.id}`}>{snapshot.name}</RouterLink>}
          on={snapshot.protected}
          label="Protected"
        />
      ),
      isRowHeader: true,
    },
    { id: 'region', header: 'Region', cell: (snapshot) => snapshot.region },
    {
      id: 'size',
      header: 'Size',
      cell: (snapshot) => settledOnly(snapshot, formatBytes(snapshot.sizeBytes)),
    },
    {
      id: 'duration',
      header: 'Duration',
      cell: (snapshot) => formatDuration(snapshot.durationSeconds),
    },
    { id: 'created', header: 'Created (UTC)', cell: (snapshot) => formatUtc(snapshot.createdAt) },
    {
      id: 'status',
      header: 'Status',
      minWidth: 220,
      cell: (snapshot) => <SnapshotStatus snapshot={snapshot} readAt={readAt} />,
    },
    {
      id: 'labels',
      header: 'Labels',
      cell: (snapshot) => <LabelList labels={snapshot.labels} />,
    },
    {
      id: 'protection',
      header: 'Protection',
      cell: (snapshot) => <ProtectedBadge on={snapshot.protected} />,
    },
    { id: 'slice', header: 'Slice', cell: (snapshot) => snapshot.sliceName },
    {
      id: 'monthlyCost',
      header: 'Monthly cost',
      cell: (snapshot) =>
        settledOnly(
          snapshot,
          formatMoney(snapshot.monthlyCost.amount, snapshot.monthlyCost.currency),
        ),
    },
    {
      id: 'actions',
      header: <Box variant="span">Actions</Box>,
      cell: (snapshot) => <SnapshotActions snapshot={snapshot} open={open} />,
    },
  ];
}

/** A PATCH of a snapshot (labels, protection), after which the lists are read again. */
function useUpdateSnapshot(snapshot: Snapshot) {
  const api = useApi();
  return (body: { labels?: Record<string, string | null>; protected?: boolean }) =>
    answerOf(api.PATCH('/v1/snapshots/{id}', { params: { path: { id: snapshot.id } }, body }));
}

function SnapshotLabelsModal(props: { snapshot: Snapshot; onDismiss: () => void }) {
  const { snapshot } = props;
  const update = useUpdateSnapshot(snapshot);
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  return (
    <LabelsModal
      header={`Labels of ${snapshot.name}`}
      labels={snapshot.labels}
      save={(labels) => update({ labels })}
      onSaved={() => {
        notify({ type: 'success', header: `Labels of ${snapshot.name} saved` });
        void invalidate();
        props.onDismiss();
      }}
      onDismiss={props.onDismiss}
    />
  );
}

function SnapshotProtectionModal(props: { snapshot: Snapshot; onDismiss: () => void }) {
  const { snapshot } = props;
  const update = useUpdateSnapshot(snapshot);
  const notify = useNotify();
  const invalidate = useInvalidateAfterChange();
  return (
    <ProtectionModal
      name={snapshot.name}
      what="protection"
      on={!snapshot.protected}
      effect="nothing deletes the snapshot: not Delete, not the recycle bin's purge"
      save={(on) => update({ protected: on })}
      onSaved={(on) => {
        notify({
          type: 'success',
          header: on
            ? `Snapshot ${snapshot.name} is protected`
            : `Snapshot ${snapshot.name} is no longer protected`,
        });
        void invalidate();
        props.onDismiss();
      }}
      onDismiss={props.onDismiss}
    />
  );
}

function optionOf(value: string | null, options: SelectProps.Option[]): SelectProps.Option {
  return (
    options.find((option) => option.value === (value ?? ALL)) ?? (options[0] as SelectProps.Option)
  );
}

/**
 * The documentation's Snapshots table (Name, Region, Size, Duration, Created in UTC) with the
 * status: a running snapshot shows its progress and timer and turns Available by itself. The
 * server pages and filters (by region and slice), so a thousand snapshots load a page at a time.
 */
export default function SnapshotsPage() {
  const { query } = useLocation();
  const region = query.get('region');
  const sliceId = query.get('sliceId');
  const labelSelector = query.get('labelSelector');
  const [selectorDraft, setSelectorDraft] = useState(labelSelector ?? '');
  const [preferences, setPreferences] = useState(DEFAULT_PREFERENCES);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const limit = preferences.pageSize ?? 25;
  const pages = useCursorPages(`${region}|${sliceId}|${labelSelector}|${limit}`);
  const page = useSnapshotPage({ region, sliceId, labelSelector, limit, cursor: pages.cursor });
  const regions = useRegions();
  const slices = useSlices();
  const { learnNext } = pages;
  const nextCursor = page.isPlaceholderData ? null : (page.data?.nextCursor ?? null);
  useEffect(() => learnNext(nextCursor), [learnNext, nextCursor]);

  const setFilter = (name: 'region' | 'sliceId' | 'labelSelector', value: string | undefined) => {
    const next = new URLSearchParams(query);
    if (value) next.set(name, value);
    else next.delete(name);
    const search = next.toString();
    navigate(`/snapshots${search ? `?${search}` : ''}`, { replace: true });
  };

  const regionOptions: SelectProps.Option[] = [
    { value: ALL, label: 'All regions' },
    ...(regions.data ?? []).map((each) => ({
      value: each.id,
      label: each.name,
      description: each.id,
    })),
  ];
  const sliceOptions: SelectProps.Option[] = [
    { value: ALL, label: 'All slices' },
    ...(slices.data ?? []).map((each) => ({
      value: each.id,
      label: each.name,
      description: each.region,
    })),
  ];
  const items = page.data?.items ?? [];

  return (
    <>
      <Table
        variant="full-page"
        items={[...items]}
        trackBy="id"
        // The actions stay in view when the columns are wider than the screen.
        stickyColumns={{ first: 0, last: 1 }}
        columnDefinitions={columns(page.dataUpdatedAt, setDialog)}
        columnDisplay={preferences.contentDisplay}
        wrapLines={preferences.wrapLines}
        loading={page.isPending}
        loadingText="Loading snapshots"
        ariaLabels={{ tableLabel: 'Snapshots' }}
        header={
          <Header
            variant="awsui-h1-sticky"
            description="On-demand backup images of your slices. Make new slices from them, or restore the slice they were taken from."
            actions={
              <Button variant="primary" onClick={() => setDialog({ kind: 'create' })}>
                Create snapshot
              </Button>
            }
          >
            Snapshots
          </Header>
        }
        filter={
          <SpaceBetween direction="horizontal" size="m">
            <FormField label="Region">
              <Select
                selectedOption={optionOf(region, regionOptions)}
                options={regionOptions}
                onChange={({ detail }) => setFilter('region', detail.selectedOption.value)}
              />
            </FormField>
            <FormField label="Slice">
              <Select
                selectedOption={optionOf(sliceId, sliceOptions)}
                options={sliceOptions}
                filteringType="auto"
                onChange={({ detail }) => setFilter('sliceId', detail.selectedOption.value)}
              />
            </FormField>
            <FormField
              label="Labels"
              description="env=prod, !legacy, tier in (gold,silver); Enter applies"
            >
              <Input
                type="search"
                value={selectorDraft}
                placeholder="Filter by label selector"
                onChange={({ detail }) => {
                  setSelectorDraft(detail.value);
                  if (detail.value === '') setFilter('labelSelector', undefined);
                }}
                onKeyDown={({ detail }) => {
                  if (detail.key === 'Enter') setFilter('labelSelector', selectorDraft.trim());
                }}
                onBlur={() => setFilter('labelSelector', selectorDraft.trim())}
              />
            </FormField>
          </SpaceBetween>
        }
        pagination={<CursorPagination pages={pages} nextCursor={page.data?.nextCursor ?? null} />}
        preferences={
          <CollectionPreferences
            title="Preferences"
            confirmLabel="Confirm"
            cancelLabel="Cancel"
            preferences={preferences}
            onConfirm={({ detail }) => setPreferences(detail)}
            wrapLinesPreference={{
              label: 'Wrap lines',
              description:
                'Long names, dates and labels take two lines instead of widening the table.',
            }}
            pageSizePreference={{
              title: 'Snapshots per page',
              options: PAGE_SIZES.map((size) => ({ value: size, label: `${size} snapshots` })),
            }}
            contentDisplayPreference={{
              title: 'Columns',
              options: [
                { id: 'name', label: 'Name', alwaysVisible: true },
                { id: 'region', label: 'Region' },
                { id: 'size', label: 'Size' },
                { id: 'duration', label: 'Duration' },
                { id: 'created', label: 'Created (UTC)' },
                { id: 'status', label: 'Status' },
                { id: 'labels', label: 'Labels' },
                { id: 'protection', label: 'Protection' },
                { id: 'slice', label: 'Slice' },
                { id: 'monthlyCost', label: 'Monthly cost' },
                { id: 'actions', label: 'Actions', alwaysVisible: true },
              ],
            }}
          />
        }
        empty={
          <TableEmpty
            error={page.error}
            errorHeader="The snapshots could not be loaded"
            errorFields={{ labelSelector: 'Labels' }}
            title="No snapshots"
          >
            {region || sliceId || labelSelector
              ? 'No snapshot matches these filters.'
              : 'Take a snapshot of a slice before a major change.'}
          </TableEmpty>
        }
      />
      {dialog?.kind === 'create' ? (
        <TakeSnapshotModal slices={slices.data ?? []} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'restore' ? (
        <RestoreModal
          snapshot={dialog.snapshot}
          slices={slices.data ?? []}
          onDismiss={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'copy' ? (
        <CopySnapshotModal snapshot={dialog.snapshot} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'rename' ? (
        <RenameModal snapshot={dialog.snapshot} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <DeleteSnapshotModal snapshot={dialog.snapshot} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'labels' ? (
        <SnapshotLabelsModal snapshot={dialog.snapshot} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'protection' ? (
        <SnapshotProtectionModal snapshot={dialog.snapshot} onDismiss={() => setDialog(null)} />
      ) : null}
    </>
  );
}
