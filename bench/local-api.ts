import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type LocalCloud } from '../local/cloud.ts';
import { executionArnOf } from '../local/stepfunctions/arns.ts';

export interface OperationBody {
  id: string;
  status: string;
}

/** Seconds since `startedMs` (a `performance.now()` reading). */
export function secondsSince(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}

/** Seconds between the first entry of `from` and the last exit of `to`, from the history. */
export function stateSpan(
  history: readonly HistoryEvent[],
  from: string,
  to = from,
): number | undefined {
  const entered = history.find(
    (event) =>
      event.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name === from,
  );
  const exited = history.findLast(
    (event) => event.type?.endsWith('StateExited') && event.stateExitedEventDetails?.name === to,
  );
  if (!entered?.timestamp || !exited?.timestamp) return undefined;
  return (exited.timestamp.getTime() - entered.timestamp.getTime()) / 1000;
}

/** The local API as one account calls it, and the local Step Functions' execution histories. */
export class LocalApi {
  readonly #cloud: LocalCloud;
  readonly #token: string;
  readonly #sfn: SFNClient;

  constructor(cloud: LocalCloud, token: string) {
    this.#cloud = cloud;
    this.#token = token;
    this.#sfn = new SFNClient({
      endpoint: cloud.endpoints.stepfunctions,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#cloud.endpoints.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** Polls the operation every `pollMs` until it has ended; returns it as it ended. */
  async untilDone(operationId: string, pollMs: number): Promise<OperationBody> {
    for (;;) {
      const operation = await this.call<OperationBody>('GET', `/v1/operations/${operationId}`);
      if (operation.status !== 'running') return operation;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async history(workflow: string, operationId: string): Promise<HistoryEvent[]> {
    const executionArn = executionArnOf(LOCAL_REGION, LOCAL_ACCOUNT_ID, workflow, operationId);
    const { events = [] } = await this.#sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
    );
    return events;
  }

  close(): void {
    this.#sfn.destroy();
  }
}
