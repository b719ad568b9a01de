import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { PolicyRun } from '../../api/client.ts';
import { usePolicyRuns } from '../../api/policy-queries.ts';
import { explainOperationError } from '../../api/problem-words.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { formatUtc } from '../../format/units.ts';
import { SKIP_REASON_WORDS } from './policy-words.ts';

/** How many runs the history shows: the newest. */
const RUNS_SHOWN = 50;

function nameOf(sliceId: string, sliceNames: ReadonlyMap<string, string>): string {
  return sliceNames.get(sliceId) ?? sliceId;
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

/** A policy's runs, newest first: what each took, skipped (and why), pruned and failed on. */
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
          cell: (run) =>
            run.status === 'running' ? (
              <StatusIndicator type="in-progress">Running</StatusIndicator>
            ) : (
              formatUtc(run.finishedAt)
            ),
        },
        {
          id: 'trigger',
          header: 'Started by',
          cell: (run) => (run.trigger === 'manual' ? 'Run now' : 'Schedule'),
        },
        { id: 'taken', header: 'Taken', cell: (run) => run.taken.length },
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
