import type { BillingMonth } from '../../core/billing/billing-month.ts';
import type {
  ChargesRepository,
  MonthRun,
  StoredCharges,
} from '../../core/ports/charges-repository.ts';
import type { WriteEvents } from '../../core/ports/outbox.ts';
import { MemoryOutbox } from './memory-outbox.ts';

/** ChargesRepository in memory: a final month is never changed, a line never written twice. */
export class MemoryChargesRepository implements ChargesRepository {
  readonly #charges = new Map<string, StoredCharges>();
  readonly #runs = new Map<BillingMonth, Set<number>>();
  /** How many line writes took effect, so tests can see that re-runs write none. */
  linesWritten = 0;
  readonly #outbox: MemoryOutbox;

  /** `outbox` records the events written with the charges (the ports' `events`, in tests). */
  constructor(options: { outbox?: MemoryOutbox } = {}) {
    this.#outbox = options.outbox ?? new MemoryOutbox();
  }

  #key(accountId: string, month: BillingMonth): string {
    return JSON.stringify([accountId, month]);
  }

  async get(accountId: string, month: BillingMonth): Promise<StoredCharges | null> {
    const stored = this.#charges.get(this.#key(accountId, month));
    return stored ? structuredClone(stored) : null;
  }

  async saveEstimate(charges: StoredCharges, write: WriteEvents = {}): Promise<boolean> {
    const key = this.#key(charges.accountId, charges.month);
    if (this.#charges.get(key)?.status === 'final') return false;
    this.#charges.set(key, structuredClone({ ...charges, status: 'estimate', lines: [] }));
    this.#outbox.recordWritten(write.events);
    return true;
  }

  async saveFinal(charges: StoredCharges, write: WriteEvents = {}): Promise<boolean> {
    const key = this.#key(charges.accountId, charges.month);
    if (this.#charges.get(key)?.status === 'final') return false;
    this.linesWritten += charges.lines.length;
    this.#charges.set(key, structuredClone({ ...charges, status: 'final' }));
    this.#outbox.recordWritten(write.events);
    return true;
  }

  async monthRun(month: BillingMonth): Promise<MonthRun> {
    const done = this.#runs.get(month) ?? new Set<number>();
    return { month, partitionsDone: [...done].sort((a, b) => a - b) };
  }

  async recordPartitionsDone(month: BillingMonth, partitions: readonly number[]): Promise<void> {
    const done = this.#runs.get(month) ?? new Set<number>();
    for (const partition of partitions) done.add(partition);
    this.#runs.set(month, done);
  }
}
