import Header from '@cloudscape-design/components/header';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useEffect } from 'react';
import type { Operation } from '../../api/client.ts';
import { operationName } from '../../api/operation-words.ts';
import { useOperationPage, useSlices } from '../../api/queries.ts';
import { useCursorPages } from '../../components/cursor-pages.ts';
import { RouterLink } from '../../components/router-link.tsx';
import { CursorPagination, TableEmpty } from '../../components/table-parts.tsx';
import { formatDuration, formatUtc } from '../../format/units.ts';
import { OperationOutcome, OperationStatus, resourceText } from './operation-cells.tsx';

const PAGE_SIZE = 25;

/** Recent operations of the account, newest first: progress while they run, errors in words. */
export default function OperationsPage() {
  const pages = useCursorPages('operations');
  const page = useOperationPage({ limit: PAGE_SIZE, cursor: pages.cursor });
  const slices = useSlices();
  const { learnNext } = pages;
  const nextCursor = page.isPlaceholderData ? null : (page.data?.nextCursor ?? null);
  useEffect(() => learnNext(nextCursor), [learnNext, nextCursor]);

  const columns: TableProps.ColumnDefinition<Operation>[] = [
    {
      id: 'operation',
      header: 'Operation',
      isRowHeader: true,
      cell: (operation) => (
        <RouterLink href={`/operations/${operation.id}`}>
          {operationName(operation.type)}
        </RouterLink>
      ),
    },
    {
      id: 'resource',
      header: 'On',
      cell: (operation) => resourceText(operation, slices.data ?? []),
    },
    {
      id: 'status',
      header: 'Status',
      minWidth: 220,
      cell: (operation) => <OperationStatus operation={operation} readAt={page.dataUpdatedAt} />,
    },
    { id: 'started', header: 'Started (UTC)', cell: (operation) => formatUtc(operation.startedAt) },
    {
      id: 'elapsed',
      header: 'Took',
      cell: (operation) =>
        operation.status === 'running' ? '—' : formatDuration(operation.elapsedSeconds),
    },
    {
      id: 'outcome',
      header: 'What happened',
      cell: (operation) => <OperationOutcome operation={operation} />,
    },
  ];

  return (
    <Table
      variant="full-page"
      items={[...(page.data?.items ?? [])]}
      trackBy="id"
      columnDefinitions={columns}
      wrapLines
      loading={page.isPending}
      loadingText="Loading operations"
      ariaLabels={{ tableLabel: 'Operations' }}
      header={
        <Header
          variant="awsui-h1-sticky"
          description="Everything that takes a while (snapshots, restores, new slices, power, deletions), newest first."
        >
          Operations
        </Header>
      }
      pagination={<CursorPagination pages={pages} nextCursor={page.data?.nextCursor ?? null} />}
      empty={
        <TableEmpty
          error={page.error}
          errorHeader="The operations could not be loaded"
          title="No operations yet"
        />
      }
    />
  );
}
