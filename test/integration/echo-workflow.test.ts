import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, functionArnPlaceholder, WORKFLOWS } from '../../infra/catalog.ts';
import { createLocalLambdas, PROJECT_ROOT } from '../../local/lambdas.ts';
import {
  localFunctionArn,
  type StepFunctionsEndpoint,
  startStepFunctions,
  substitutePlaceholders,
} from '../../local/stepfunctions/index.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

async function waitForEnd(client: SFNClient, executionArn: string) {
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the echo workflow, as npm start runs it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'echo-workflow-'));
  let endpoint: StepFunctionsEndpoint;
  let client: SFNClient;

  beforeAll(async () => {
    const workflow = WORKFLOWS.find((each) => each.name === 'echo')!;
    const substitutions = Object.fromEntries(
      workflow.invokes.map((name) => [
        functionArnPlaceholder(name),
        localFunctionArn(REGION, ACCOUNT, name),
      ]),
    );
    const lambdas = createLocalLambdas(FUNCTIONS);
    endpoint = await startStepFunctions({
      port: 0,
      dataDir,
      region: REGION,
      accountId: ACCOUNT,
      workflows: [
        {
          name: workflow.name,
          definition: substitutePlaceholders(
            readFileSync(join(PROJECT_ROOT, workflow.file), 'utf8'),
            substitutions,
          ),
        },
      ],
      invoker: lambdas,
    });
    client = new SFNClient({
      endpoint: endpoint.url,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the deployed ASL file through the real handler module', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.stateMachineArn('echo'),
        input: JSON.stringify({ message: 'hello' }),
      }),
    );

    const ended = await waitForEnd(client, executionArn!);

    expect(ended.status).toBe('SUCCEEDED');
    const output = JSON.parse(ended.output ?? '{}') as { result: { echo: { echoed: string } } };
    expect(output.result.echo.echoed).toBe('hello');
  });

  it('routes a handler rejection to the Catch and fails the execution', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.stateMachineArn('echo'),
        input: JSON.stringify({ message: 42 }),
      }),
    );

    const ended = await waitForEnd(client, executionArn!);

    expect(ended.status).toBe('FAILED');
    expect(ended.error).toBe('EchoFailed');
  });
});
