import Box from '@cloudscape-design/components/box';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { Operation, Slice } from '../../api/client.ts';
import { explainOperationError } from '../../api/problem-words.ts';
import { timerText } from '../../components/snapshot-status.tsx';
import { useNow } from '../../components/use-now.ts';

/** An operation's state: a progress bar with its timer while it runs, the outcome after. */
export function OperationStatus(props: { operation: Operation; readAt: number }) {
  const { operation } = props;
  const running = operation.status === 'running';
  const now = useNow(running);
  if (running) {
    return (
      <ProgressBar
        value={operation.progress.percent}
        label="Running"
        ariaLabel={`Operation ${operation.id} progress`}
        additionalInfo={timerText(operation.progress, props.readAt, now)}
      />
    );
  }
  if (operation.status === 'succeeded') {
    return <StatusIndicator type="success">Succeeded</StatusIndicator>;
  }
  return <StatusIndicator type="error">Failed</StatusIndicator>;
}

/** Why an operation failed and what to do, in words; nothing when it did not fail. */
export function OperationOutcome(props: { operation: Operation }) {
  const { error } = props.operation;
  if (!error) return null;
  const why = explainOperationError(error);
  return (
    <Box variant="span">
      {why.summary} {why.action}
    </Box>
  );
}

/** The resource an operation acts on: the slice's name where it is known, else its id. */
export function resourceText(operation: Operation, slices: readonly Slice[]): string {
  if (operation.resourceType === 'slice') {
    const slice = slices.find((each) => each.id === operation.resourceId);
    return `Slice ${slice?.name ?? operation.resourceId}`;
  }
  return `Snapshot ${operation.resourceId}`;
}
