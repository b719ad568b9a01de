import type { LocalClock } from '../clock.ts';
import type { ExecutionRecord } from './execution-record.ts';
import { createJsonProtocolServer } from './json-protocol.ts';
import { StepFunctionsService } from './service.ts';
import { Store } from './store.ts';

export { localFunctionArn } from './arns.ts';
export { substitutePlaceholders } from './placeholders.ts';
export { executionStarterOn } from './start-execution.ts';
export {
  type ServiceEvent,
  STATUS_CHANGE_DETAIL_TYPE,
  StatusChangeRelay,
} from './status-events.ts';

import { listen } from '../net.ts';

export interface LambdaInvoker {
  /** Invokes the local Lambda `functionName` (a name from infra/catalog.ts) with a payload; resolves its result, rejects with an Error whose `name` is the error type Step Functions sees. */
  invoke(functionName: string, payload: unknown): Promise<unknown>;
}

export interface LocalWorkflow {
  name: string;
  /** ASL JSON text, placeholders already substituted. */
  definition: string;
}

export interface StepFunctionsOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = any free port. */
  port: number;
  /**
   * Executions persist as JSON files under it and come back on restart. Those still running at a
   * shutdown are recorded as ABORTED with a cause; those the endpoint died under (a crash) go on
   * from where their history says they were, or end ABORTED where that is not safe (resume.ts).
   */
  dataDir: string;
  region: string;
  accountId: string;
  workflows: LocalWorkflow[];
  invoker: LambdaInvoker;
  /** Hears executions ending and internal errors; nothing is written to stdout. */
  log?: (message: string) => void;
  /** The local cloud's clock: history timestamps, heartbeat and execution timeouts. */
  clock?: LocalClock;
  /** Hears every execution that ends (and those found ended at start-up without their event). */
  onStatusChange?: (record: ExecutionRecord) => void;
  /** Executions a crash cut short wait for `resumeInterrupted()` instead of going on at start. */
  deferResume?: boolean;
}

export interface StepFunctionsEndpoint {
  url: string;
  stateMachineArn(name: string): string;
  /** Goes on with the executions a crash cut short (at start, unless `deferResume`). */
  resumeInterrupted(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the local Step Functions endpoint: the workflows' ASL run by aws-local-stepfunctions, with
 * Lambda tasks sent to the invoker, behind the AWS JSON protocol that `@aws-sdk/client-sfn` speaks.
 */
export async function startStepFunctions(
  opts: StepFunctionsOptions,
): Promise<StepFunctionsEndpoint> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? '127.0.0.1';
  const store = new Store(opts.dataDir, (error) => log(`write failed: ${String(error)}`));
  const service = await StepFunctionsService.open({
    region: opts.region,
    accountId: opts.accountId,
    workflows: opts.workflows,
    invoker: opts.invoker,
    store,
    log,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.onStatusChange ? { onStatusChange: opts.onStatusChange } : {}),
    ...(opts.deferResume ? { deferResume: true } : {}),
  });
  const server = createJsonProtocolServer(service.actions, log);
  const listening = await listen(server, opts.port, host);
  return {
    url: listening.url,
    stateMachineArn: (name) => service.stateMachineArn(name),
    resumeInterrupted: () => service.resumeInterrupted(),
    close: async () => {
      await listening.close();
      await service.close();
    },
  };
}
