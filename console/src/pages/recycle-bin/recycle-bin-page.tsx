import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import type { Snapshot } from '../../api/client.ts';
import { useSettings, useSnapshotPage } from '../../api/queries.ts';
import { useCursorPages } from '../../components/cursor-pages.ts';
import { ProtectedBadge } from '../../components/protection.tsx';
import { CursorPagination, TableEmpty } from '../../components/table-parts.tsx';
import { useNow } from '../../components/use-now.ts';
import { formatBytes, formatDays, formatTimeLeft, formatUtc } from '../../format/units.ts';
import { PurgeModal, RecoverModal, RetentionModal } from './recycle-bin-modals.tsx';

type Dialog =
  | { kind: 'recover'; snapshot: Snapshot }
  | { kind: 'purge'; snapshot: Snapshot }
  | { kind: 'settings'; days: number };

const PAGE_SIZE = 25;
/** The time left only moves by minutes: reading the clock once a minute is enough. */
const CLOCK_MS = 60_000;

/** When a recycled snapshot goes: the time left, or why it stays past its time. */
export function purgeText(snapshot: Pick<Snapshot, 'purgeAt' | 'protected'>, now: number): string {
  if (!snapshot.purgeAt) return '—';
  const left = (Date.parse(snapshot.purgeAt) - now) / 1000;
  if (left > 0) return `in ${formatTimeLeft(left)}`;
  return snapshot.protected ? 'kept while protected' : 'any moment now';
}

function columns(now: number, open: (dialog: Dialog) => void) {
  const definitions: TableProps.ColumnDefinition<Snapshot>[] = [
    { id: 'name', header: 'Name', cell: (snapshot) => snapshot.name, isRowHeader: true },
    { id: 'region', header: 'Region', cell: (snapshot) => snapshot.region },
    { id: 'size', header: 'Size', cell: (snapshot) => formatBytes(snapshot.sizeBytes) },
    { id: 'slice', header: 'Slice', cell: (snapshot) => snapshot.sliceName },
    {
      id: 'purgeAt',
      header: 'Deleted for good (UTC)',
      cell: (snapshot) => (
        <div>
          {formatUtc(snapshot.purgeAt)}
          <Box variant="small" color="text-body-secondary" display="block">
            {purgeText(snapshot, now)}
          </Box>
        </div>
      ),
    },
    {
      id: 'protection',
      header: 'Protection',
      cell: (snapshot) => <ProtectedBadge on={snapshot.protected} />,
    },
    {
      id: 'actions',
      header: <Box variant="span">Actions</Box>,
      cell: (snapshot) => (
        <ButtonDropdown
          variant="icon"
          ariaLabel={`Actions for snapshot ${snapshot.name}`}
          expandToViewport
          items={[
            { id: 'recover', text: 'Recover' },
            { id: 'purge', text: 'Delete for good' },
          ]}
          onItemClick={({ detail }) => {
            if (detail.id === 'recover') open({ kind: 'recover', snapshot });
            if (detail.id === 'purge') open({ kind: 'purge', snapshot });
          }}
        />
      ),
    },
  ];
  return definitions;
}

/** What the bin does, in a sentence, with the account's days. */
function binDescription(days: number | undefined): string {
  if (days === undefined) return 'Deleted snapshots wait here, not billed, and can be recovered.';
  if (days === 0) {
    return 'The recycle bin is off: deleted snapshots are deleted for good at once. Those still here can be recovered until their time.';
  }
  return `Deleted snapshots wait here for ${formatDays(days)}, not billed, and can be recovered until then. After that they are deleted for good.`;
}

/**
 * The recycle bin: deleted snapshots that can still be recovered, with when each is deleted for
 * good; Recover, Delete for good (the name typed to confirm), and how many days the bin keeps them.
 */
export default function RecycleBinPage() {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const pages = useCursorPages('recycled');
  const page = useSnapshotPage({
    region: null,
    sliceId: null,
    status: 'recycled',
    limit: PAGE_SIZE,
    cursor: pages.cursor,
  });
  const settings = useSettings();
  const now = useNow(true, CLOCK_MS);
  const { learnNext } = pages;
  const nextCursor = page.isPlaceholderData ? null : (page.data?.nextCursor ?? null);
  useEffect(() => learnNext(nextCursor), [learnNext, nextCursor]);
  const items = page.data?.items ?? [];
  const days = settings.data?.recycleBinDays;

  return (
    <>
      <Table
        variant="full-page"
        items={[...items]}
        trackBy="id"
        columnDefinitions={columns(now, setDialog)}
        loading={page.isPending}
        loadingText="Loading the recycle bin"
        ariaLabels={{ tableLabel: 'Recycle bin' }}
        header={
          <Header
            variant="awsui-h1-sticky"
            description={binDescription(days)}
            actions={
              <Button
                disabled={days === undefined}
                onClick={() => days !== undefined && setDialog({ kind: 'settings', days })}
              >
                Settings
              </Button>
            }
          >
            Recycle bin
          </Header>
        }
        pagination={<CursorPagination pages={pages} nextCursor={page.data?.nextCursor ?? null} />}
        empty={
          <TableEmpty
            error={page.error}
            errorHeader="The recycle bin could not be loaded"
            title="The recycle bin is empty"
          >
            Snapshots you delete wait here before they are deleted for good.
          </TableEmpty>
        }
      />
      {dialog?.kind === 'recover' ? (
        <RecoverModal snapshot={dialog.snapshot} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'purge' ? (
        <PurgeModal snapshot={dialog.snapshot} onDismiss={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'settings' ? (
        <RetentionModal days={dialog.days} onDismiss={() => setDialog(null)} />
      ) : null}
    </>
  );
}
