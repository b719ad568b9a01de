import Box from '@cloudscape-design/components/box';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import StatusIndicator, {
  type StatusIndicatorProps,
} from '@cloudscape-design/components/status-indicator';
import type { Progress, Snapshot } from '../api/client.ts';
import { explainOperationError } from '../api/problem-words.ts';
import { formatClock } from '../format/units.ts';
import { useNow } from './use-now.ts';

const STATUS_TEXT: Record<Snapshot['status'], string> = {
  pending: 'Requested',
  capturing: 'Capturing',
  uploading: 'Uploading',
  copying: 'Copying',
  available: 'Available',
  recycled: 'In the recycle bin',
  failed: 'Failed',
  deleting: 'Deleting',
  deleted: 'Deleted',
};

const STATUS_TYPE: Record<Snapshot['status'], StatusIndicatorProps.Type> = {
  pending: 'pending',
  capturing: 'in-progress',
  uploading: 'in-progress',
  copying: 'in-progress',
  available: 'success',
  recycled: 'stopped',
  failed: 'error',
  deleting: 'in-progress',
  deleted: 'stopped',
};

/** What a snapshot's status is called in the console. */
export function snapshotStatusText(status: Snapshot['status']): string {
  return STATUS_TEXT[status];
}

/**
 * Elapsed time and time left, moved on by the seconds since the progress was read, so that the
 * timer ticks between reads. The ETA never goes below zero and is "estimating" until known.
 */
export function timerText(progress: Progress, readAt: number, now: number): string {
  const since = Math.max(0, (now - readAt) / 1000);
  const elapsed = `${formatClock(progress.elapsedSeconds + since)} elapsed`;
  if (progress.stalledSeconds > 0) {
    return `${elapsed}, no progress for ${formatClock(progress.stalledSeconds + since)}`;
  }
  if (progress.etaSeconds === null) return `${elapsed}, estimating the time left`;
  return `${elapsed}, about ${formatClock(Math.max(0, progress.etaSeconds - since))} left`;
}

function RunningSnapshot(props: { snapshot: Snapshot; readAt: number }) {
  const { snapshot, readAt } = props;
  const now = useNow(true);
  const label = STATUS_TEXT[snapshot.status];
  return (
    <ProgressBar
      value={snapshot.progress.percent}
      label={label}
      ariaLabel={`${snapshot.name}: ${label}`}
      additionalInfo={timerText(snapshot.progress, readAt, now)}
    />
  );
}

/** The statuses whose work moves a progress bar: a snapshot being taken, or copied here. */
const RUNNING = new Set<Snapshot['status']>(['pending', 'capturing', 'uploading', 'copying']);

/**
 * A snapshot's status: a progress bar with its timer while it is taken or copied, the reason
 * when it failed, a status indicator otherwise, marked when a verification found its image
 * damaged.
 */
export function SnapshotStatus(props: { snapshot: Snapshot; readAt: number }) {
  const { snapshot } = props;
  if (RUNNING.has(snapshot.status)) {
    return <RunningSnapshot snapshot={snapshot} readAt={props.readAt} />;
  }
  const indicator = (
    <StatusIndicator type={STATUS_TYPE[snapshot.status]}>
      {STATUS_TEXT[snapshot.status]}
    </StatusIndicator>
  );
  if (snapshot.verifyState === 'corrupt') {
    // The damage matters more than the status: restores and new slices from it are refused.
    return (
      <div>
        {indicator}
        <Box variant="small" display="block">
          <StatusIndicator type="error">Corrupt: restores refused</StatusIndicator>
        </Box>
      </div>
    );
  }
  if (snapshot.status === 'failed' && snapshot.error) {
    const why = explainOperationError(snapshot.error);
    return (
      <div>
        {indicator}
        <Box variant="small" color="text-body-secondary" display="block">
          {why.summary}
        </Box>
      </div>
    );
  }
  return indicator;
}
