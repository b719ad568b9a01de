import type { Host } from '../hosts/host.ts';

/** A parameter value of an agent command. */
export type AgentCommandParam = string | number | boolean | null | readonly string[];

/** An agent command as the agent protocol names it: `type` and its parameters. */
export interface AgentCommandSpec {
  readonly type: string;
  readonly [param: string]: AgentCommandParam;
}

/** Where the agent reports the command's heartbeats and outcome: a workflow task's token. */
export interface AgentCallbackTarget {
  readonly url: string;
  readonly taskToken: string;
}

/** One command for the agent of a host, on one slice. */
export interface AgentCommandRequest {
  readonly sliceId: string;
  readonly command: AgentCommandSpec;
  readonly callback: AgentCallbackTarget;
}

/** One command run at once on one slice, named by `commandId`. */
export interface AgentRunRequest {
  readonly sliceId: string;
  readonly commandId: string;
  readonly command: AgentCommandSpec;
}

/** Sends commands to host agents; their outcomes come back later, through callbacks. */
export interface AgentGateway {
  /**
   * Hands the command to the agent of `host`, which reports to `callback`. The command is named
   * after the callback's task token, so sending the same request again never repeats the work.
   * AgentUnreachableError when the agent cannot be reached or fails (a retry may succeed);
   * AgentRefusedError, named as the agent names its refusal, when it refuses the command.
   */
  dispatch(host: Host, request: AgentCommandRequest): Promise<{ readonly commandId: string }>;

  /**
   * Runs a command on `sliceId` now, with no workflow waiting for it, and answers its result once
   * it has ended (for the reconciler, which finishes operations whose workflow ended). `commandId`
   * names it: running the same ID again reports the first outcome. AgentUnreachableError as above;
   * AgentRefusedError, named after the agent's error, when it refuses or the command fails.
   */
  run(host: Host, request: AgentRunRequest): Promise<Readonly<Record<string, unknown>>>;
}
