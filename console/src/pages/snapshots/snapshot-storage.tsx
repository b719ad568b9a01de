import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import type { Snapshot } from '../../api/client.ts';
import { RouterLink } from '../../components/router-link.tsx';
import { formatBytes, formatMoney } from '../../format/units.ts';

/** Failed and deleted snapshots hold nothing in the store: a count never weighs them. */
const NEVER_COUNTED = new Set<Snapshot['status']>(['failed', 'deleting', 'deleted']);

/** A figure of the storage count, or why there is none. */
function counted(snapshot: Snapshot, bytes: number | null): string {
  if (bytes !== null) return formatBytes(bytes);
  return NEVER_COUNTED.has(snapshot.status) ? '—' : 'Not counted yet';
}

/**
 * What the snapshot takes in the store, as the account's latest storage count found it, and
 * what it has cost this month so far. The count weighs it against the account's other
 * snapshots: chunks they share are stored once, and deleting it frees only its own.
 */
export function SnapshotStorage(props: { snapshot: Snapshot }) {
  const { snapshot } = props;
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            <>
              Chunks this snapshot shares with the account's other snapshots are stored once.{' '}
              <RouterLink href="/storage">All storage</RouterLink>
            </>
          }
        >
          Storage
        </Header>
      }
    >
      <KeyValuePairs
        columns={3}
        items={[
          { label: 'Stored size', value: counted(snapshot, snapshot.storedBytes) },
          { label: 'Frees if deleted', value: counted(snapshot, snapshot.exclusiveBytes) },
          {
            label: 'Cost so far this month',
            value: formatMoney(snapshot.costToDate.amount, snapshot.costToDate.currency),
          },
        ]}
      />
    </Container>
  );
}
