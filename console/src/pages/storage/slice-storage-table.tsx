import { useCollection } from '@cloudscape-design/collection-hooks';
import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { Slice, SliceStorage } from '../../api/client.ts';
import { RouterLink } from '../../components/router-link.tsx';
import { compareAmounts, formatBytes, formatMoney } from '../../format/units.ts';

/** A slice's line of the storage count, with the name the console knows it by. */
export interface StorageLine extends SliceStorage {
  /** The slice's name; null while the slices are read, or once the slice is deleted. */
  readonly sliceName: string | null;
  /** The slice is gone (its snapshots outlive it). */
  readonly deleted: boolean;
}

/**
 * The count's lines with the slices' names. A slice missing from the list is deleted, but only
 * once the list has been read: until then a line shows its id alone.
 */
export function storageLines(
  bySlice: readonly SliceStorage[],
  slices: readonly Slice[] | undefined,
): StorageLine[] {
  const names = new Map(slices?.map((slice) => [slice.id, slice.name]));
  return bySlice.map((line) => ({
    ...line,
    sliceName: names.get(line.sliceId) ?? null,
    deleted: slices !== undefined && !names.has(line.sliceId),
  }));
}

function SliceCell(props: { line: StorageLine }) {
  const { line } = props;
  return (
    <SpaceBetween direction="horizontal" size="xs">
      <RouterLink href={`/snapshots?sliceId=${encodeURIComponent(line.sliceId)}`}>
        {line.sliceName ?? line.sliceId}
      </RouterLink>
      {line.deleted ? <Badge>deleted</Badge> : null}
    </SpaceBetween>
  );
}

const COST_COLUMN: TableProps.ColumnDefinition<StorageLine> = {
  id: 'monthlyCost',
  header: 'Monthly cost',
  cell: (line) => formatMoney(line.monthlyCost.amount, line.monthlyCost.currency),
  sortingComparator: (a, b) => compareAmounts(a.monthlyCost.amount, b.monthlyCost.amount),
};

const COLUMNS: TableProps.ColumnDefinition<StorageLine>[] = [
  {
    id: 'slice',
    header: 'Slice',
    cell: (line) => <SliceCell line={line} />,
    isRowHeader: true,
    sortingComparator: (a, b) => (a.sliceName ?? a.sliceId).localeCompare(b.sliceName ?? b.sliceId),
  },
  {
    id: 'snapshots',
    header: 'Snapshots',
    cell: (line) => line.snapshots,
    sortingField: 'snapshots',
  },
  {
    id: 'logical',
    header: 'Logical size',
    cell: (line) => formatBytes(line.logicalBytes),
    sortingField: 'logicalBytes',
  },
  {
    id: 'exclusive',
    header: 'Frees if all deleted',
    cell: (line) => formatBytes(line.exclusiveBytes),
    sortingField: 'exclusiveBytes',
  },
  COST_COLUMN,
];

/**
 * The storage count by slice, costliest first and sortable by any column; each slice links to
 * its snapshots in the Snapshots table.
 */
export function SliceStorageTable(props: { lines: readonly StorageLine[]; loading: boolean }) {
  const { items, collectionProps } = useCollection([...props.lines], {
    sorting: { defaultState: { sortingColumn: COST_COLUMN, isDescending: true } },
  });
  return (
    <Table
      {...collectionProps}
      items={items}
      trackBy="sliceId"
      columnDefinitions={COLUMNS}
      loading={props.loading}
      loadingText="Loading the storage count"
      ariaLabels={{ tableLabel: 'Storage by slice' }}
      header={
        <Header
          variant="h2"
          counter={props.loading ? undefined : `(${props.lines.length})`}
          description="Logical size: the data on the disks the slice's snapshots were taken of. Frees if all deleted: what deleting every one of them for good would give back, after what other slices' snapshots share."
        >
          By slice
        </Header>
      }
      empty={
        <Box textAlign="center" color="inherit">
          <Box variant="strong">No snapshots stored</Box>
          <Box variant="p">The count found no snapshot in the store.</Box>
        </Box>
      }
    />
  );
}
