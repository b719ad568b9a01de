import type { ExecutionRecord } from './execution-record.ts';

/** An event Step Functions puts on the account's default bus itself (source `aws.states`). */
export interface ServiceEvent {
  readonly source: string;
  readonly detailType: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export const STATUS_CHANGE_DETAIL_TYPE = 'Step Functions Execution Status Change';

/** The `Step Functions Execution Status Change` event of an execution, as AWS shapes it. */
export function statusChangeEvent(record: ExecutionRecord): ServiceEvent {
  return {
    source: 'aws.states',
    detailType: STATUS_CHANGE_DETAIL_TYPE,
    resources: [record.executionArn],
    detail: {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      stopDate: record.stopDate ?? null,
      input: record.input,
      output: record.output ?? null,
      error: record.error ?? null,
      cause: record.cause ?? null,
    },
  };
}

/**
 * Carries executions' status changes to the event bus. The endpoint starts before the bus (the
 * bus delivers to state machines), so what happens before `connect` (executions found ABORTED at
 * start-up) waits here and goes out on connection, in order.
 */
export class StatusChangeRelay {
  #sink: ((event: ServiceEvent) => Promise<void>) | undefined;
  readonly #waiting: ServiceEvent[] = [];
  readonly #sending = new Set<Promise<void>>();
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void = () => undefined) {
    this.#log = log;
  }

  /** An execution changed status (started, or ended). */
  changed(record: ExecutionRecord): void {
    const event = statusChangeEvent(record);
    if (this.#sink) this.#send(this.#sink, event);
    else this.#waiting.push(event);
  }

  connect(sink: (event: ServiceEvent) => Promise<void>): void {
    this.#sink = sink;
    for (const event of this.#waiting.splice(0)) this.#send(sink, event);
  }

  /** Resolves once every event handed over so far has been put. */
  async settled(): Promise<void> {
    while (this.#sending.size > 0) await Promise.allSettled([...this.#sending]);
  }

  #send(sink: (event: ServiceEvent) => Promise<void>, event: ServiceEvent): void {
    const sent = sink(event)
      .catch((error: unknown) => {
        this.#log(
          `status change of ${String(event.detail.executionArn)} not put: ${String(error)}`,
        );
      })
      .finally(() => this.#sending.delete(sent));
    this.#sending.add(sent);
  }
}
