import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { Slice, SnapshotQuote } from '../../api/client.ts';
import { explainProblem } from '../../api/problem-words.ts';
import { useSnapshotQuote } from '../../api/storage-queries.ts';
import { formatBytes, formatDuration, formatMoney } from '../../format/units.ts';
import { estimateSnapshot } from './snapshot-estimate.ts';

/** The downtime of the chosen way, in words: none at all when the slice keeps running. */
export function downtimeText(quote: Pick<SnapshotQuote, 'downtimeSeconds'>, powerOff: boolean) {
  if (!powerOff || quote.downtimeSeconds === 0) return 'None: the slice keeps running';
  return `About ${formatDuration(quote.downtimeSeconds)} powered off`;
}

function QuoteFigures(props: { quote: SnapshotQuote; powerOff: boolean }) {
  const { quote, powerOff } = props;
  return (
    // A labelled section, so that the figures read as the quote they are.
    <section aria-label="Quote">
      <SpaceBetween size="xs">
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Size', value: formatBytes(quote.sizeBytes) },
            {
              label: 'Monthly cost',
              value: formatMoney(quote.monthlyCost.amount, quote.monthlyCost.currency),
            },
            { label: 'Expected time', value: `About ${formatDuration(quote.durationSeconds)}` },
            { label: 'Downtime', value: downtimeText(quote, powerOff) },
          ]}
        />
        {quote.newBytes === null ? null : (
          <Box variant="small" color="text-body-secondary">
            About {formatBytes(quote.newBytes)} new since the last snapshot: the upload sends only
            that.
          </Box>
        )}
      </SpaceBetween>
    </section>
  );
}

/** The product's own estimate from the slice's record, for when the host gave no quote. */
function Estimate(props: { slice: Slice }) {
  const estimate = estimateSnapshot(props.slice.usedBytes);
  if (!estimate) return null;
  return (
    <KeyValuePairs
      columns={3}
      items={[
        { label: 'Size (space in use)', value: formatBytes(estimate.sizeBytes) },
        {
          label: 'Monthly cost',
          value: `${formatMoney(estimate.monthlyCost.amount, estimate.monthlyCost.currency)} (at $${estimate.ratePerGBMonth} per GiB-month)`,
        },
        {
          label: 'Expected time',
          value: `At most ${formatDuration(estimate.atMostSeconds)}, usually much less`,
        },
      ]}
    />
  );
}

/**
 * What the snapshot would hold, cost and take, as the slice's host quotes it for the chosen way
 * (asked again when the choice changes). A quote that fails never blocks the snapshot: the dialog
 * says so and shows the estimate from the slice's record where it has one.
 */
export function SnapshotQuoteView(props: { slice: Slice; powerOff: boolean }) {
  const quote = useSnapshotQuote(props.slice.id, props.powerOff);
  if (quote.data) return <QuoteFigures quote={quote.data} powerOff={props.powerOff} />;
  if (quote.error) {
    const why = explainProblem(quote.error);
    return (
      <SpaceBetween size="s">
        <Alert type="warning" header="No quote for this snapshot">
          The slice's host could not say what the snapshot would hold and take: {why.summary} You
          can still create it.
        </Alert>
        <Estimate slice={props.slice} />
      </SpaceBetween>
    );
  }
  return (
    <StatusIndicator type="loading">
      Asking the slice's host what the snapshot would hold, cost and take
    </StatusIndicator>
  );
}
