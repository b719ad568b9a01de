import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../../local/stepfunctions/execution-record.ts';
import { StepFunctionsService } from '../../../../local/stepfunctions/service.ts';
import { Store } from '../../../../local/stepfunctions/store.ts';

const HOLD = JSON.stringify({
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 600, End: true } },
});

const dirs: string[] = [];

function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfn-service-'));
  dirs.push(dir);
  return dir;
}

/**
 * The service over the data in `dataDir`, with one workflow (`hold`, which waits ten minutes,
 * unless `options.workflow` names another) whose tasks answer nothing.
 */
function open(
  dataDir: string,
  options: {
    onStatusChange?: (record: ExecutionRecord) => void;
    deferResume?: boolean;
    workflow?: { name: string; definition: string };
  } = {},
) {
  const {
    onStatusChange,
    deferResume = false,
    workflow = { name: 'hold', definition: HOLD },
  } = options;
  return StepFunctionsService.open({
    deferResume,
    region: 'us-east-1',
    accountId: '000000000000',
    workflows: [workflow],
    invoker: { invoke: async () => ({}) },
    store: new Store(dataDir, () => {}),
    log: () => {},
    ...(onStatusChange ? { onStatusChange } : {}),
  });
}

/**
 * Starts the execution `name` of the hold workflow and copies the data directory as a process
 * killed right after answering StartExecution leaves it.
 */
async function startedThenKilled(name: string): Promise<{ copy: string; executionArn: string }> {
  const dataDir = newDir();
  const copy = newDir();
  const service = await open(dataDir);
  const started = (await service.actions.StartExecution?.({
    stateMachineArn: service.stateMachineArn('hold'),
    name,
  })) as { executionArn: string };
  cpSync(dataDir, copy, { recursive: true, filter: (path) => !path.endsWith('.tmp') });
  await service.close();
  return { copy, executionArn: started.executionArn };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('StepFunctionsService', () => {
  it('has an execution on disk once StartExecution answers, so a crash at once keeps it', async () => {
    const { copy, executionArn } = await startedThenKilled('op_1');
    const told: string[] = [];
    const restarted = await open(copy, {
      onStatusChange: (record) => told.push(`${record.name} ${record.status}`),
    });
    const execution = (await restarted.actions.DescribeExecution?.({
      executionArn,
    })) as { status: string };
    const history = (await restarted.actions.GetExecutionHistory?.({
      executionArn,
    })) as { events: Array<{ type: string }> } | undefined;
    const events = history?.events ?? [];
    await restarted.close();

    // It had not begun: it simply starts, once.
    expect(execution.status).toBe('RUNNING');
    expect(
      events.map((event) => event.type).filter((type) => type.startsWith('Execution')),
    ).toEqual(['ExecutionStarted']);
    expect(told).toEqual([]);
  });

  it('ends ABORTED an execution stopped before start-up went on with it', async () => {
    const { copy, executionArn } = await startedThenKilled('op_2');
    const told: string[] = [];
    const restarted = await open(copy, {
      onStatusChange: (record) => told.push(`${record.name} ${record.status}`),
      deferResume: true,
    });

    const before = (await restarted.actions.DescribeExecution?.({ executionArn })) as {
      status: string;
    };
    await restarted.actions.StopExecution?.({ executionArn, cause: 'stopped by an operator' });
    await restarted.resumeInterrupted();
    const after = (await restarted.actions.DescribeExecution?.({ executionArn })) as {
      status: string;
      cause: string;
    };
    await restarted.close();

    expect(before.status).toBe('RUNNING');
    expect(after).toMatchObject({ status: 'ABORTED', cause: 'stopped by an operator' });
    expect(told).toEqual(['op_2 ABORTED']);
  });

  it('remembers the definitions it validated, so a restart does not run the validator again', async () => {
    const dataDir = newDir();
    const service = await open(dataDir);
    await service.close();
    const remembered = JSON.parse(
      readFileSync(join(dataDir, 'validated-definitions.json'), 'utf8'),
    ) as string[];
    // A definition the validator refuses (an unreachable state) passes once remembered as valid.
    const unreachable = JSON.stringify({
      StartAt: 'Hold',
      States: { Hold: { Type: 'Succeed' }, Orphan: { Type: 'Succeed' } },
    });
    const orphan = { name: 'orphan', definition: unreachable };
    const refused = open(newDir(), { workflow: orphan }).catch((error: unknown) => error);
    const trustedDir = newDir();
    writeFileSync(
      join(trustedDir, 'validated-definitions.json'),
      JSON.stringify([createHash('sha256').update(unreachable).digest('hex')]),
    );
    const trusted = await open(trustedDir, { workflow: orphan });
    await trusted.close();

    expect(remembered).toEqual([createHash('sha256').update(HOLD).digest('hex')]);
    expect(await refused).toMatchObject({ message: expect.stringMatching(/not reachable/) });
  });
});
