import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/**
 * Starts an execution through the local endpoint's own API, as EventBridge rules and Scheduler
 * schedules start executions in AWS: what a rule or a schedule starts is recorded and resumed like
 * any other execution.
 */
export function executionStarterOn(
  endpoint: () => string,
  region: string,
): (stateMachineArn: string, input: string) => Promise<void> {
  return async (stateMachineArn, input) => {
    const client = new SFNClient({ endpoint: endpoint(), region });
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn, input }));
    } finally {
      client.destroy();
    }
  };
}
