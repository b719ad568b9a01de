import type { BillingMonth } from '../../core/billing/billing-month.ts';
import type { ChargeLine } from '../../core/billing/charges.ts';
import type { DomainEvent } from '../../core/events/event-types.ts';
import type {
  ChargesRepository,
  MonthRun,
  StoredCharges,
} from '../../core/ports/charges-repository.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import {
  chargeLineKey,
  chargesPrefix,
  chargesSummaryKey,
  monthRunKey,
} from './dynamo-billing-keys.ts';
import { outboxPuts } from './dynamo-outbox.ts';
import {
  cancellationReasons,
  type Item,
  SingleTable,
  type TableAccess,
} from './dynamo-record-table.ts';
import type { TableWrite } from './dynamo-table-writes.ts';

/**
 * TransactWriteItems takes at most 100 items a call: the month's guard, 98 lines and the outbox
 * item of the month's event.
 */
const MAX_LINES_PER_TRANSACTION = 98;
/** Lines written one by one at once, when a transaction met lines already written. */
const LINE_WRITE_CONCURRENCY = 10;

const NOT_FINAL = 'attribute_not_exists(pk) OR #status <> :final';

function summaryItem(charges: StoredCharges): Item {
  return {
    ...chargesSummaryKey(charges.accountId, charges.month),
    recordKind: 'charges',
    accountId: charges.accountId,
    month: charges.month,
    status: charges.status,
    asOf: charges.asOf,
    // Cents fit a JavaScript number exactly (below 2^53); byte-seconds may not: kept as strings.
    totalCents: Number(charges.totalCents),
    lineCount: charges.lineCount,
    computedAt: charges.computedAt,
  };
}

/**
 * A line's item. `later` is true for a snapshot's second and later lines of the month (it spent
 * part of it in the recycle bin): their keys carry their start, the first one's does not.
 */
function lineItem(charges: StoredCharges, line: ChargeLine, later: boolean): Item {
  return {
    ...chargeLineKey(
      charges.accountId,
      charges.month,
      line.snapshotId,
      later ? line.from : undefined,
    ),
    recordKind: 'charge-line',
    snapshotId: line.snapshotId,
    name: line.name,
    sizeBytes: line.sizeBytes,
    from: line.from,
    to: line.to,
    byteSeconds: line.byteSeconds.toString(),
    cents: Number(line.cents),
  };
}

function lineOf(item: Item): ChargeLine {
  return {
    snapshotId: item.snapshotId as string,
    name: item.name as string,
    sizeBytes: Number(item.sizeBytes),
    from: item.from as string,
    to: item.to as string,
    byteSeconds: BigInt(item.byteSeconds as string),
    cents: BigInt(item.cents as number),
  };
}

/**
 * ChargesRepository on the single table (keys in dynamo-billing-keys.ts). A final month of up to
 * 99 lines is one transaction: the summary, conditional on the month not being final, and each
 * line, conditional on being absent. A longer one is written in transactions guarded by a check
 * that the month is not final, the summary last; an interrupted run leaves at most lines without
 * a final summary (not shown), which the next run completes without writing any line twice.
 * Nothing is ever written into a final month.
 */
export class DynamoChargesRepository implements ChargesRepository {
  readonly #table: SingleTable;

  constructor(access: TableAccess) {
    this.#table = new SingleTable(access);
  }

  async get(accountId: string, month: BillingMonth): Promise<StoredCharges | null> {
    const summaryKey = chargesSummaryKey(accountId, month);
    let summary: Item | undefined;
    const lines: ChargeLine[] = [];
    const items = await this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': summaryKey.pk, ':prefix': chargesPrefix(month) },
      ConsistentRead: true,
    });
    for (const item of items) {
      if (item.sk === summaryKey.sk) summary = item;
      else if (item.recordKind === 'charge-line') lines.push(lineOf(item));
    }
    if (!summary) return null;
    const final = summary.status === 'final';
    return {
      accountId,
      month,
      status: final ? 'final' : 'estimate',
      asOf: summary.asOf as string,
      totalCents: BigInt(summary.totalCents as number),
      lineCount: Number(summary.lineCount),
      // Lines of an interrupted final write are not shown until the summary is final.
      lines: final ? lines : [],
      computedAt: summary.computedAt as string,
    };
  }

  async saveEstimate(charges: StoredCharges, write: WriteEvents = {}): Promise<boolean> {
    return this.#putSummary({ ...charges, status: 'estimate' }, write.events ?? []);
  }

  async saveFinal(charges: StoredCharges, write: WriteEvents = {}): Promise<boolean> {
    const final = { ...charges, status: 'final' as const };
    const events = write.events ?? [];
    const items = charges.lines.map((line, index) =>
      lineItem(charges, line, charges.lines[index - 1]?.snapshotId === line.snapshotId),
    );
    if (items.length <= MAX_LINES_PER_TRANSACTION) {
      // Most accounts: the summary (conditional on the month not being final), every line and
      // the month's event in one transaction, so the month becomes final at once or not at all.
      const outcome = await this.#transact([
        this.#summaryPut(final),
        ...items.map((item) => this.#linePut(item)),
        ...this.#outboxPuts(events),
      ]);
      if (outcome !== 'cancelled-by-item') return outcome === 'written';
    }
    const guard = this.#notFinal(charges.accountId, charges.month);
    for (let start = 0; start < items.length; start += MAX_LINES_PER_TRANSACTION) {
      const chunk = items.slice(start, start + MAX_LINES_PER_TRANSACTION);
      if ((await this.#putLines(guard, chunk)) === 'final') return false;
    }
    return this.#putSummary(final, events);
  }

  #outboxPuts(events: readonly DomainEvent[]): TableWrite[] {
    return outboxPuts(events, Math.floor(Date.now() / 1000));
  }

  async monthRun(month: BillingMonth): Promise<MonthRun> {
    const item = await this.#table.get(monthRunKey(month));
    const done = item?.partitionsDone;
    const partitionsDone = done instanceof Set ? [...done].map(Number) : [];
    return { month, partitionsDone: partitionsDone.sort((a, b) => a - b) };
  }

  async recordPartitionsDone(month: BillingMonth, partitions: readonly number[]): Promise<void> {
    if (partitions.length === 0) return;
    await this.#table.update({
      Key: monthRunKey(month),
      UpdateExpression: 'ADD partitionsDone :partitions SET #month = :month, recordKind = :kind',
      ExpressionAttributeNames: { '#month': 'month' },
      ExpressionAttributeValues: {
        ':partitions': new Set(partitions),
        ':month': month,
        ':kind': 'billing-month-run',
      },
    });
  }

  #summaryPut(charges: StoredCharges) {
    return {
      Put: {
        Item: summaryItem(charges),
        ConditionExpression: NOT_FINAL,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':final': 'final' },
      },
    } satisfies TableWrite;
  }

  /**
   * The summary, with its events in the same transaction when it has any: false when the month
   * was final. An event already in the outbox (the same estimate again) is left out.
   */
  async #putSummary(charges: StoredCharges, events: readonly DomainEvent[] = []): Promise<boolean> {
    if (events.length > 0) {
      const outcome = await this.#transact([
        this.#summaryPut(charges),
        ...this.#outboxPuts(events),
      ]);
      if (outcome !== 'cancelled-by-item') return outcome === 'written';
    }
    return this.#table.put(this.#summaryPut(charges).Put);
  }

  /** A transaction item that holds only while the account's month is not final. */
  #notFinal(accountId: string, month: BillingMonth): TableWrite {
    return {
      ConditionCheck: {
        Key: chargesSummaryKey(accountId, month),
        ConditionExpression: NOT_FINAL,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':final': 'final' },
      },
    };
  }

  #linePut(item: Item): TableWrite {
    return {
      Put: {
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /**
   * Writes the lines not written yet, each only while the month is not final (the guard goes in
   * every transaction); a line already there is left as it is. `final` when the month was final.
   */
  async #putLines(guard: TableWrite, items: readonly Item[]): Promise<'written' | 'final'> {
    const first = await this.#transact([guard, ...items.map((item) => this.#linePut(item))]);
    if (first !== 'cancelled-by-item') return first;
    // Some lines exist (an earlier run was interrupted): write the others one by one.
    let final = false;
    for (let start = 0; start < items.length; start += LINE_WRITE_CONCURRENCY) {
      const outcomes = await Promise.all(
        items
          .slice(start, start + LINE_WRITE_CONCURRENCY)
          .map((item) => this.#transact([guard, this.#linePut(item)])),
      );
      final ||= outcomes.includes('final');
    }
    return final ? 'final' : 'written';
  }

  /** Runs a guarded transaction: `final` when the guard failed, else whether an item refused. */
  async #transact(items: TableWrite[]): Promise<'written' | 'final' | 'cancelled-by-item'> {
    try {
      await this.#table.transact(items);
      return 'written';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons === null) throw error;
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'final';
      if (reasons.slice(1).some((reason) => reason.Code === 'ConditionalCheckFailed')) {
        return 'cancelled-by-item';
      }
      throw error;
    }
  }
}
