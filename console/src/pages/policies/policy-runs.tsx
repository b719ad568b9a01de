import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { PolicyRun } from '../../api/client.ts';
import { usePolicyRuns } from '../../api/policy-queries.ts';
import { explainOperationError } from '../../api/problem-words.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { RouterLink } from '../../components/router-link.tsx';
import { formatUtc } from '../../format/units.ts';
import { runErrorText, SKIP_REASON_WORDS } from './policy-words.ts';

/** How many runs the history shows: the newest. */
export const RUNS_SHOWN = 50;

function nameOf(sliceId: string, sliceNames: ReadonlyMap<string, string>): string {
  return sliceNames.get(sliceId) ?? sliceId;
}

/** When a run finished; one that ended early says why. */
function Finished(props: { run: PolicyRun }) {
  const { run } = props;
  if (run.status === 'running') {
    return <StatusIndicator type="in-progress">Running</StatusIndicator>;
  }
  if (!run.error) return <>{formatUtc(run.finishedAt)}</>;
  return (
    <>
      {formatUtc(run.finishedAt)}
      <Box display="block">
        <StatusIndicator type="warning">Ended early</StatusIndicator>
      </Box>
      <Box variant="small" display="block">
        {runErrorText(run.error)}
      </Box>
    </>
  );
}

/** The snapshots a run took, each linked to its page, named by its slice. */
function Taken(props: { run: PolicyRun; sliceNames: ReadonlyMap<string, string> }) {
  if (props.run.taken.length === 0) return <>0</>;
  return (
    <>
      {props.run.taken.length}
      <ul aria-label="Snapshots taken">
        {props.run.taken.map((each) => (
          <li key={each.snapshotId}>
            <RouterLink href={`/snapshots/${each.snapshotId}`}>
              Snapshot of {nameOf(each.sliceId, props.sliceNames)}
            </RouterLink>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The skipped slices of a run, each with why, one a line. */
function Skipped(props: { run: PolicyRun; sliceNames: ReadonlyMap<string, string> }) {
  if (props.run.skipped.length === 0) return <>0</>;
  return (
    <ul aria-label="Skipped slices">
      {props.run.skipped.map((each) => (
        <li key={each.sliceId}>
          {nameOf(each.sliceId, props.sliceNames)}: {SKIP_REASON_WORDS[each.reason]}
        </li>
      ))}
    </ul>
  );
}

function Failed(props: { run: PolicyRun; sliceNames: ReadonlyMap<string, string> }) {
  if (props.run.failed.length === 0) return <>0</>;
  return (
    <ul aria-label="Failed slices">
      {props.run.failed.map((each) => (
        <li key={each.sliceId}>
          {nameOf(each.sliceId, props.sliceNames)}:{' '}
          {explainOperationError({ code: each.code, message: each.code }).summary}
        </li>
      ))}
    </ul>
  );
}

/**
 * A policy's runs, newest first: what each took (linked), skipped (and why), pruned and failed
 * on, and why one ended early.
 */
export function PolicyRuns(props: { policyId: string; sliceNames: ReadonlyMap<string, string> }) {
  const runs = usePolicyRuns(props.policyId, RUNS_SHOWN);
  const { sliceNames } = props;
  return (
    <Table
      ariaLabels={{ tableLabel: 'Runs' }}
      header={
        <Header variant="h2" description="The newest first.">
          Runs
        </Header>
      }
      items={[...(runs.data ?? [])]}
      loading={runs.isPending}
      loadingText="Loading the runs"
      wrapLines
      columnDefinitions={[
        {
          id: 'started',
          header: 'Started (UTC)',
          isRowHeader: true,
          cell: (run) => formatUtc(run.startedAt),
        },
        {
          id: 'finished',
          header: 'Finished (UTC)',
          cell: (run) => <Finished run={run} />,
        },
        {
          id: 'trigger',
          header: 'Started by',
          cell: (run) => (run.trigger === 'manual' ? 'Run now' : 'Schedule'),
        },
        {
          id: 'taken',
          header: 'Taken',
          cell: (run) => <Taken run={run} sliceNames={sliceNames} />,
        },
        {
          id: 'skipped',
          header: 'Skipped',
          cell: (run) => <Skipped run={run} sliceNames={sliceNames} />,
        },
        { id: 'pruned', header: 'Pruned', cell: (run) => run.pruned.length },
        {
          id: 'failed',
          header: 'Failed',
          cell: (run) => <Failed run={run} sliceNames={sliceNames} />,
        },
      ]}
      empty={
        runs.error ? (
          <ProblemAlert error={runs.error} header="The runs could not be loaded" />
        ) : (
          <Box textAlign="center" color="inherit">
            <Box variant="strong">No run yet</Box>
            <Box variant="p">The policy's runs are listed here once it has made one.</Box>
          </Box>
        )
      }
    />
  );
}
