import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import type { ByteRange, Snapshot } from '../../api/client.ts';
import { useSnapshotPage } from '../../api/queries.ts';
import { useSnapshotChanges } from '../../api/storage-queries.ts';
import { useCursorPages } from '../../components/cursor-pages.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { CursorPagination } from '../../components/table-parts.tsx';
import { formatBytes, formatUtc } from '../../format/units.ts';

/** The snapshots of the same slice a snapshot can be compared with: available, not itself. */
export function comparableSnapshots(snapshot: Snapshot, candidates: readonly Snapshot[]) {
  return candidates.filter(
    (each) =>
      each.id !== snapshot.id && each.sliceId === snapshot.sliceId && each.status === 'available',
  );
}

/** An offset as a position on the disk: exact bytes, with the size it is at in words. */
function offsetText(offset: number): string {
  return `${offset.toLocaleString('en-US')} (${formatBytes(offset)})`;
}

function ChangedRanges(props: { snapshot: Snapshot; base: Snapshot }) {
  const pages = useCursorPages(props.base.id);
  const changes = useSnapshotChanges(props.snapshot.id, props.base.id, pages.cursor);
  const { learnNext } = pages;
  const nextCursor = changes.isPlaceholderData ? null : (changes.data?.nextCursor ?? null);
  useEffect(() => learnNext(nextCursor), [learnNext, nextCursor]);
  if (changes.error) {
    return <ProblemAlert error={changes.error} header="The changes could not be read" />;
  }
  return (
    <Table<ByteRange>
      variant="embedded"
      items={changes.data ? [...changes.data.ranges] : []}
      trackBy="offset"
      loading={changes.isPending}
      loadingText="Comparing the two images"
      ariaLabels={{ tableLabel: 'Changed ranges' }}
      header={
        <Header
          variant="h3"
          description={`Where the disk of ${props.snapshot.name} differs from ${props.base.name}'s (taken ${formatUtc(props.base.createdAt)}), in whole 4 MiB chunks; the order of the two does not matter.`}
        >
          {changes.data
            ? `${formatBytes(changes.data.changedBytes)} changed`
            : 'Comparing the two images'}
        </Header>
      }
      columnDefinitions={[
        { id: 'offset', header: 'From byte', cell: (range) => offsetText(range.offset) },
        {
          id: 'end',
          header: 'To byte (excluded)',
          cell: (range) => offsetText(range.offset + range.length),
        },
        { id: 'length', header: 'Length', cell: (range) => formatBytes(range.length) },
      ]}
      empty={
        <Box textAlign="center" color="inherit">
          The two disks hold the same bytes.
        </Box>
      }
      pagination={<CursorPagination pages={pages} nextCursor={nextCursor} of="ranges" />}
    />
  );
}

/**
 * "Changes since…": another available snapshot of the same slice as the base, and the byte
 * ranges where the two disks differ, a page at a time, computed from their manifests alone.
 */
export function SnapshotChangesPanel(props: { snapshot: Snapshot }) {
  const { snapshot } = props;
  const [baseId, setBaseId] = useState<string | null>(null);
  const siblings = useSnapshotPage({
    region: null,
    sliceId: snapshot.sliceId,
    limit: 100,
    cursor: null,
  });
  const candidates = comparableSnapshots(snapshot, siblings.data?.items ?? []);
  const base = candidates.find((each) => each.id === baseId);
  const available = snapshot.status === 'available';
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="What changed on the disk between this snapshot and another of the same slice, without reading either image."
        >
          Changes since…
        </Header>
      }
    >
      <SpaceBetween size="l">
        {available ? (
          <FormField label="Compare with" description="Another available snapshot of the slice.">
            <Select
              selectedOption={base ? { value: base.id, label: base.name } : null}
              onChange={({ detail }) => setBaseId(detail.selectedOption.value ?? null)}
              options={candidates.map((each) => ({
                value: each.id,
                label: each.name,
                description: formatUtc(each.createdAt),
              }))}
              placeholder="Choose a snapshot"
              empty={`No other available snapshot of ${snapshot.sliceName}`}
              statusType={siblings.isPending ? 'loading' : 'finished'}
              loadingText="Loading the slice's snapshots"
            />
          </FormField>
        ) : (
          <Box>Only an available snapshot can be compared with another.</Box>
        )}
        {siblings.error ? (
          <ProblemAlert error={siblings.error} header="The slice's snapshots could not be loaded" />
        ) : null}
        {available && base ? <ChangedRanges snapshot={snapshot} base={base} /> : null}
      </SpaceBetween>
    </Container>
  );
}
