import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { operationName } from '../../api/operation-words.ts';
import { explainOperationError } from '../../api/problem-words.ts';
import { useOperation, useSlices } from '../../api/queries.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { formatBytes, formatDuration, formatUtc } from '../../format/units.ts';
import { OperationStatus, resourceText } from './operation-cells.tsx';

/** One operation: its state, read every second while it runs, and why it failed if it did. */
export default function OperationPage(props: { params: Record<string, string> }) {
  const id = props.params.id ?? '';
  const operation = useOperation(id);
  const slices = useSlices();
  if (operation.error) {
    return <ProblemAlert error={operation.error} header="The operation could not be loaded" />;
  }
  if (!operation.data) return <Spinner size="large" />;
  const current = operation.data;
  const why = current.error ? explainOperationError(current.error) : undefined;
  return (
    <ContentLayout header={<Header variant="h1">{operationName(current.type)}</Header>}>
      <SpaceBetween size="l">
        {why ? (
          <Alert type="error" header={why.summary}>
            {why.action}
            <Box variant="small" display="block" color="text-body-secondary">
              Error code {current.error?.code}: {current.error?.message}
            </Box>
          </Alert>
        ) : null}
        <Container header={<Header variant="h2">Details</Header>}>
          <KeyValuePairs
            columns={3}
            items={[
              {
                label: 'Status',
                value: <OperationStatus operation={current} readAt={operation.dataUpdatedAt} />,
              },
              { label: 'On', value: resourceText(current, slices.data ?? []) },
              { label: 'Operation id', value: current.id },
              { label: 'Started (UTC)', value: formatUtc(current.startedAt) },
              { label: 'Ended (UTC)', value: formatUtc(current.finishedAt) },
              {
                label: current.status === 'running' ? 'Running for' : 'Took',
                value: formatDuration(current.elapsedSeconds),
              },
              // A copy knows what the target region lacks before its first byte moves.
              ...(current.type === 'snapshot.copy'
                ? [
                    {
                      label: 'To transfer',
                      value:
                        current.bytesToTransfer == null
                          ? 'Not known yet'
                          : formatBytes(current.bytesToTransfer),
                    },
                  ]
                : []),
            ]}
          />
        </Container>
      </SpaceBetween>
    </ContentLayout>
  );
}
