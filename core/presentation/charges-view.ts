import type { BillingMonth } from '../billing/billing-month.ts';
import type { ChargesStatus, MonthlyCharges } from '../billing/charges.ts';
import { formatCents } from '../billing/money.ts';
import { RATE_PER_GIB_MONTH } from '../billing/rate.ts';
import { bytesToDisplayGib } from '../shared/sizes.ts';

/** One line of the charges as CONTRACT.md shows it. */
export interface ChargeLineView {
  readonly snapshotId: string;
  readonly name: string;
  readonly sizeGB: number;
  readonly from: string;
  readonly to: string;
  readonly amount: string;
}

/** An account's charges for a month as CONTRACT.md shows them. */
export interface ChargesView {
  readonly month: BillingMonth;
  readonly status: ChargesStatus;
  readonly currency: 'USD';
  readonly ratePerGBMonth: string;
  readonly lines: readonly ChargeLineView[];
  readonly total: string;
}

/** The public view of a month's charges: amounts as decimal strings, sizes in GiB for display. */
export function viewCharges(charges: MonthlyCharges): ChargesView {
  return {
    month: charges.month,
    status: charges.status,
    currency: 'USD',
    ratePerGBMonth: RATE_PER_GIB_MONTH,
    lines: charges.lines.map((line) => ({
      snapshotId: line.snapshotId,
      name: line.name,
      sizeGB: bytesToDisplayGib(line.sizeBytes),
      from: line.from,
      to: line.to,
      amount: formatCents(line.cents),
    })),
    total: formatCents(charges.totalCents),
  };
}
