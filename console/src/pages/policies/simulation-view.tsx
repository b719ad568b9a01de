import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, {
  type StatusIndicatorProps,
} from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { PolicySimulation, SimulatedSnapshot } from '../../api/client.ts';
import { formatBytes, formatMoney, formatUtc } from '../../format/units.ts';
import { decisionText } from './policy-words.ts';
import { runTimesText, type SimulationDay, simulationDays } from './simulation-days.ts';

type SimulatedSlice = PolicySimulation['slices'][number];
type Money = PolicySimulation['monthlyCost']['now'];

const DECISION_STATUS: Record<SimulatedSnapshot['decision'], StatusIndicatorProps.Type> = {
  keep: 'success',
  protected: 'info',
  prune: 'warning',
};

/** Tick labels on about eight days of the axis at most, so that they never overlap. */
function tickEvery(days: number): number {
  return Math.max(1, Math.ceil(days / 8));
}

function money(cost: Money): string {
  return formatMoney(cost.amount, cost.currency);
}

function Timeline(props: { days: readonly SimulationDay[] }) {
  const { days } = props;
  const every = tickEvery(days.length);
  const labelled = new Set(days.filter((_, index) => index % every === 0).map((each) => each.day));
  return (
    <BarChart
      ariaLabel="Runs of the policy by day"
      ariaDescription="For each day of the window: how many runs, how many of the snapshots they take are still kept at the window's end, and how many existing snapshots are pruned."
      height={200}
      xScaleType="categorical"
      xTitle="Day (UTC)"
      yTitle="Snapshots"
      hideFilter
      xTickFormatter={(day) => (labelled.has(day) ? day.slice(5) : '')}
      yTickFormatter={(count) => (Number.isInteger(count) ? String(count) : '')}
      series={[
        {
          title: 'Runs',
          type: 'bar',
          data: days.map((each) => ({ x: each.day, y: each.runTimes.length })),
        },
        {
          title: "Taken and kept to the window's end",
          type: 'bar',
          data: days.map((each) => ({ x: each.day, y: each.keptToEnd })),
        },
        {
          title: 'Existing snapshots pruned',
          type: 'bar',
          data: days.map((each) => ({ x: each.day, y: each.prunedExisting })),
        },
      ]}
      empty={<Box textAlign="center">No run in this window.</Box>}
      i18nStrings={{
        legendAriaLabel: 'Legend',
        chartAriaRoleDescription: 'bar chart',
        xAxisAriaRoleDescription: 'days',
        yAxisAriaRoleDescription: 'snapshots',
        detailPopoverDismissAriaLabel: 'Close',
      }}
    />
  );
}

/** The timeline as text, one line per day that has something: for reading, and for screen readers. */
function DayList(props: { days: readonly SimulationDay[] }) {
  const busy = props.days.filter((each) => each.runTimes.length > 0 || each.prunedExisting > 0);
  if (busy.length === 0) return <Box>No run in this window.</Box>;
  return (
    <ul aria-label="Runs by day">
      {busy.map((each) => (
        <li key={each.day}>
          <strong>{each.day}</strong>: {runTimesText(each.runTimes)}
          {each.keptToEnd > 0 ? `; ${each.keptToEnd} kept to the end` : ''}
          {each.prunedExisting > 0 ? `; ${each.prunedExisting} existing pruned` : ''}
        </li>
      ))}
    </ul>
  );
}

function SnapshotDecisions(props: {
  label: string;
  snapshots: readonly SimulatedSnapshot[];
  empty: string;
}) {
  return (
    <Table
      variant="embedded"
      wrapLines
      ariaLabels={{ tableLabel: props.label }}
      header={<Header variant="h3">{props.label}</Header>}
      items={[...props.snapshots].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
      columnDefinitions={[
        {
          id: 'created',
          header: 'Created (UTC)',
          isRowHeader: true,
          cell: (snapshot) =>
            snapshot.snapshotId === null ? (
              <>
                {formatUtc(snapshot.createdAt)}
                <Box variant="small" color="text-body-secondary" display="block">
                  to be taken
                </Box>
              </>
            ) : (
              formatUtc(snapshot.createdAt)
            ),
        },
        { id: 'size', header: 'Size', cell: (snapshot) => formatBytes(snapshot.sizeBytes) },
        {
          id: 'decision',
          header: 'Decision',
          cell: (snapshot) => (
            <StatusIndicator type={DECISION_STATUS[snapshot.decision]} wrapText={false}>
              {decisionText(snapshot)}
            </StatusIndicator>
          ),
        },
      ]}
      empty={<Box textAlign="center">{props.empty}</Box>}
    />
  );
}

function SliceOutcome(props: { slice: SimulatedSlice }) {
  const { slice } = props;
  const name = slice.sliceName ?? slice.sliceId;
  return (
    <Container
      header={
        <Header
          variant="h3"
          description={
            slice.status === 'gone'
              ? 'This slice is gone: nothing is taken of it.'
              : `${slice.endOfWindow.taken} taken and ${slice.endOfWindow.pruned} pruned in the window; monthly cost ${money(slice.now.monthlyCost)} now, ${money(slice.endOfWindow.monthlyCost)} at the end.`
          }
        >
          Slice {name}
        </Header>
      }
    >
      <ColumnLayout columns={2}>
        <SnapshotDecisions
          label={`Now, ${name}`}
          snapshots={slice.now.snapshots}
          empty="The policy has no snapshot of this slice yet."
        />
        <SnapshotDecisions
          label={`At the window's end, ${name}`}
          snapshots={slice.endOfWindow.snapshots}
          empty="Nothing is kept at the window's end."
        />
      </ColumnLayout>
    </Container>
  );
}

/**
 * What a policy would do, as the simulation answers it: the runs of the window on a time axis
 * (and as a list by day), then for each target slice what is kept now (by which rule) or pruned,
 * what is kept at the window's end, and the monthly cost now and at the end.
 */
export function SimulationView(props: { simulation: PolicySimulation }) {
  const { simulation } = props;
  const days = simulationDays(simulation);
  const taken = simulation.slices.reduce((sum, each) => sum + each.endOfWindow.taken, 0);
  const pruned = simulation.slices.reduce((sum, each) => sum + each.endOfWindow.pruned, 0);
  return (
    <SpaceBetween size="l">
      <KeyValuePairs
        columns={4}
        items={[
          {
            label: 'Window',
            value: `${formatUtc(simulation.window.from)} to ${formatUtc(simulation.window.to)}`,
          },
          { label: 'Runs', value: `${simulation.runs.length}, taking ${taken}, pruning ${pruned}` },
          { label: 'Monthly cost now', value: money(simulation.monthlyCost.now) },
          {
            label: "Monthly cost at the window's end",
            value: money(simulation.monthlyCost.endOfWindow),
          },
        ]}
      />
      <Timeline days={days} />
      <ExpandableSection headerText="Runs by day">
        <DayList days={days} />
      </ExpandableSection>
      {simulation.slices.length === 0 ? (
        <Box>No slice is a target of this policy now.</Box>
      ) : (
        simulation.slices.map((slice) => <SliceOutcome key={slice.sliceId} slice={slice} />)
      )}
    </SpaceBetween>
  );
}
