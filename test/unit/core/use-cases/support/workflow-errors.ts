import type { WorkflowError } from '../../../../../core/workflows/workflow-failure.ts';

/**
 * What a workflow's Catch hands a failure step when the host's agent could not be reached. Its
 * cause names an address, which no failure shown to users may repeat.
 */
export const AGENT_UNREACHABLE: WorkflowError = {
  Error: 'AgentUnreachable',
  Cause:
    '{"errorMessage":"the agent of host fra1-a could not be reached: connect ECONNREFUSED 10.0.0.7:8443"}',
};

/** An error no failure step knows by name, as when Step Functions itself fails a state. */
export const UNKNOWN_ERROR: WorkflowError = { Error: 'States.Runtime', Cause: 'x' };
