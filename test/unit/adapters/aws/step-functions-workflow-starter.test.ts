import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsWorkflowStarter } from '../../../../adapters/aws/step-functions-workflow-starter.ts';

const ARN = 'arn:aws:states:eu-central-1:123456789012:stateMachine:create-slice';
const input = {
  accountId: 'acct-1',
  operationId: 'op_01JNZ5Y1Q0000000000000000A',
  sliceId: 'slc_1',
};

describe('StepFunctionsWorkflowStarter', () => {
  const client = new SFNClient({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
  });
  const mock = mockClient(client);
  const starter = new StepFunctionsWorkflowStarter({
    client,
    stateMachineArns: { 'create-slice': ARN },
  });

  beforeEach(() => mock.reset());

  it('starts the workflow’s state machine with an execution named after the operation', async () => {
    mock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });

    await starter.start('create-slice', input);

    expect(mock.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: ARN,
      name: 'op_01JNZ5Y1Q0000000000000000A',
      input: JSON.stringify(input),
    });
  });

  it('treats an execution that already exists for the operation as started', async () => {
    mock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    await expect(starter.start('create-slice', input)).resolves.toBeUndefined();
  });

  it('passes other failures on', async () => {
    mock.on(StartExecutionCommand).rejects(new Error('throttled'));

    await expect(starter.start('create-slice', input)).rejects.toThrow('throttled');
  });

  it('refuses a workflow with no configured state machine', async () => {
    await expect(starter.start('restore-slice', input)).rejects.toThrow('restore-slice');
    expect(mock.calls()).toHaveLength(0);
  });
});
