/** What the endpoint keeps of an execution, in memory and in its JSON file under the data directory. */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One history event as stored: AWS's fields, with the `<type>EventDetails` member kept apart. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  type: string;
  details?: Record<string, unknown>;
}

export interface ExecutionRecord {
  /** Start order across the endpoint's whole history: lists are newest first by it. */
  seq: number;
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** JSON text, exactly as given to StartExecution. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Milliseconds since the epoch. */
  startDate: number;
  stopDate?: number;
  /** Every token minted for it, so that a late callback answers TaskTimedOut even after a restart. */
  taskTokens: string[];
  /** How many times it went on after the endpoint died under it (AWS's redrive count). */
  redriveCount?: number;
  /** When it last went on so (milliseconds since the epoch). */
  redriveDate?: number;
  /** It ended while the endpoint was stopping: its status change is put at the next start-up. */
  statusChangePending?: boolean;
  events: HistoryEvent[];
}

/** The details member name AWS gives an event type: `TaskScheduled` → `taskScheduledEventDetails`. */
export function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

export function appendEvent(
  record: ExecutionRecord,
  type: string,
  details?: Record<string, unknown>,
  timestamp = Date.now(),
): HistoryEvent {
  const previous = record.events.at(-1);
  const event: HistoryEvent = {
    id: (previous?.id ?? 0) + 1,
    previousEventId: previous?.id ?? 0,
    timestamp,
    type,
    ...(details === undefined ? {} : { details }),
  };
  record.events.push(event);
  return event;
}

const EXECUTION_DATA_FIELDS = new Set(['input', 'output', 'parameters']);

/** The event as GetExecutionHistory answers it (timestamps in epoch seconds, as the JSON protocol wants). */
export function wireEvent(
  event: HistoryEvent,
  includeExecutionData: boolean,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: event.id,
    previousEventId: event.previousEventId,
    timestamp: event.timestamp / 1000,
    type: event.type,
  };
  if (event.details !== undefined) {
    wire[detailsKeyOf(event.type)] = includeExecutionData
      ? event.details
      : Object.fromEntries(
          Object.entries(event.details).filter(([key]) => !EXECUTION_DATA_FIELDS.has(key)),
        );
  }
  return wire;
}

/** DescribeExecution's answer. */
export function describeExecution(record: ExecutionRecord): Record<string, unknown> {
  return {
    ...listedExecution(record),
    input: record.input,
    inputDetails: { included: true },
    ...(record.output === undefined
      ? {}
      : { output: record.output, outputDetails: { included: true } }),
    ...(record.error === undefined ? {} : { error: record.error }),
    ...(record.cause === undefined ? {} : { cause: record.cause }),
    ...(record.redriveCount === undefined
      ? {}
      : { redriveCount: record.redriveCount, redriveDate: (record.redriveDate ?? 0) / 1000 }),
  };
}

/** One item of ListExecutions. */
export function listedExecution(record: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate / 1000,
    ...(record.stopDate === undefined ? {} : { stopDate: record.stopDate / 1000 }),
  };
}
