import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { ChargeLine, Charges } from '../../api/client.ts';
import { useCharges } from '../../api/queries.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { formatMoney, formatMonth, formatUtc, monthOf, recentMonths } from '../../format/units.ts';

const MONTHS_OFFERED = 24;

function StatusNote(props: { charges: Charges; current: boolean }) {
  const { charges, current } = props;
  if (charges.status === 'final') {
    return (
      <Alert type="success" header="Final">
        These are the charges billed for {formatMonth(charges.month)}: the month is closed and they
        no longer change.
      </Alert>
    );
  }
  return (
    <Alert type="info" header="Estimate">
      {current
        ? 'Month to date: the amounts grow until the month ends, and change as snapshots are taken and deleted.'
        : 'This month has ended but is not closed yet: the amounts may still change.'}{' '}
      They become final once the billing run after the month end has run.
    </Alert>
  );
}

/**
 * Snapshot charges by month: every line (snapshot, size, billed period, amount) and the total,
 * with whether they are an estimate or final.
 */
export default function BillingPage() {
  const thisMonth = monthOf(new Date());
  const [month, setMonth] = useState(thisMonth);
  const charges = useCharges(month);
  const months = recentMonths(new Date(), MONTHS_OFFERED).map((value) => ({
    value,
    label: formatMonth(value),
  }));
  const data = charges.data;
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={
          data
            ? `$${data.ratePerGBMonth} per GiB-month of space used, pro-rated by the second.`
            : undefined
        }
      >
        Billing
      </Header>
      <FormField label="Month">
        <Select
          selectedOption={{ value: month, label: formatMonth(month) }}
          options={months}
          onChange={({ detail }) => setMonth(detail.selectedOption.value ?? thisMonth)}
        />
      </FormField>
      {charges.error ? (
        <ProblemAlert error={charges.error} header="The charges could not be loaded" />
      ) : null}
      {data ? <StatusNote charges={data} current={month === thisMonth} /> : null}
      <Table<ChargeLine>
        items={[...(data?.lines ?? [])]}
        trackBy="snapshotId"
        loading={charges.isPending}
        loadingText="Loading charges"
        ariaLabels={{ tableLabel: `Charges for ${formatMonth(month)}` }}
        header={
          <Header
            variant="h2"
            counter={data ? `(${data.lines.length})` : undefined}
            actions={
              data ? (
                <StatusIndicator type={data.status === 'final' ? 'success' : 'info'}>
                  {data.status === 'final' ? 'Final' : 'Estimate'}
                </StatusIndicator>
              ) : null
            }
          >
            Charges for {formatMonth(month)}
          </Header>
        }
        columnDefinitions={[
          { id: 'name', header: 'Snapshot', cell: (line) => line.name, isRowHeader: true },
          { id: 'size', header: 'Size', cell: (line) => `${line.sizeGB.toFixed(2)} GiB` },
          { id: 'from', header: 'Billed from (UTC)', cell: (line) => formatUtc(line.from) },
          { id: 'to', header: 'Billed until (UTC)', cell: (line) => formatUtc(line.to) },
          {
            id: 'amount',
            header: 'Amount',
            cell: (line) => formatMoney(line.amount, data?.currency ?? 'USD'),
          },
        ]}
        empty={
          <Box textAlign="center" color="inherit">
            <Box variant="strong">No charges</Box>
            <Box variant="p">No snapshot was kept in {formatMonth(month)}.</Box>
          </Box>
        }
        footer={
          data ? (
            <Box textAlign="right" variant="h3" tagOverride="p">
              Total{data.status === 'estimate' ? ' (estimate)' : ''}:{' '}
              {formatMoney(data.total, data.currency)}
            </Box>
          ) : null
        }
      />
    </SpaceBetween>
  );
}
