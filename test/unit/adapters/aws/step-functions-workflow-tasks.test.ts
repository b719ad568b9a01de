import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsWorkflowTasks } from '../../../../adapters/aws/step-functions-workflow-tasks.ts';
import { WorkflowTaskGoneError } from '../../../../core/workflows/workflow-task-errors.ts';

describe('StepFunctionsWorkflowTasks', () => {
  const client = new SFNClient({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
  });
  const mock = mockClient(client);
  const tasks = new StepFunctionsWorkflowTasks({ client });

  beforeEach(() => mock.reset());

  it('sends a success with the output as JSON', async () => {
    mock.on(SendTaskSuccessCommand).resolves({});

    await tasks.succeed('token-1', { power: 'on' });

    expect(mock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: '{"power":"on"}',
    });
  });

  it('sends a failure within the limits Step Functions sets on error and cause', async () => {
    mock.on(SendTaskFailureCommand).resolves({});

    await tasks.fail('token-1', 'E'.repeat(300), 'c'.repeat(40_000));

    const input = mock.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(input?.error).toHaveLength(256);
    expect(input?.cause).toHaveLength(32_768);
  });

  it('sends a heartbeat', async () => {
    mock.on(SendTaskHeartbeatCommand).resolves({});

    await tasks.heartbeat('token-1');

    expect(mock.commandCalls(SendTaskHeartbeatCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
    });
  });

  it.each([
    ['timed out', new TaskTimedOut({ message: 'timed out', $metadata: {} })],
    ['unknown', new TaskDoesNotExist({ message: 'unknown', $metadata: {} })],
  ])('says the task is gone when Step Functions answers it %s', async (_, error) => {
    mock.on(SendTaskHeartbeatCommand).rejects(error);

    await expect(tasks.heartbeat('token-1')).rejects.toThrow(WorkflowTaskGoneError);
  });

  it('passes other failures on (the agent retries them)', async () => {
    mock.on(SendTaskSuccessCommand).rejects(new Error('ThrottlingException'));

    await expect(tasks.succeed('token-1', {})).rejects.toThrow('ThrottlingException');
  });
});
