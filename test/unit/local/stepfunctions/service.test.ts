import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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

function open(dataDir: string, onStatusChange?: (record: ExecutionRecord) => void) {
  return StepFunctionsService.open({
    region: 'us-east-1',
    accountId: '000000000000',
    workflows: [{ name: 'hold', definition: HOLD }],
    invoker: { invoke: async () => ({}) },
    store: new Store(dataDir, () => {}),
    log: () => {},
    ...(onStatusChange ? { onStatusChange } : {}),
  });
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('StepFunctionsService', () => {
  it('has an execution on disk once StartExecution answers, so a crash at once keeps it', async () => {
    const dataDir = newDir();
    const copy = newDir();
    const service = await open(dataDir);
    const started = (await service.actions.StartExecution?.({
      stateMachineArn: service.stateMachineArn('hold'),
      name: 'op_1',
    })) as { executionArn: string };

    // What a process killed right after answering leaves behind.
    cpSync(dataDir, copy, { recursive: true, filter: (path) => !path.endsWith('.tmp') });
    await service.close();
    const told: string[] = [];
    const restarted = await open(copy, (record) => told.push(`${record.name} ${record.status}`));
    const execution = (await restarted.actions.DescribeExecution?.({
      executionArn: started.executionArn,
    })) as { status: string };
    await restarted.close();

    expect(execution.status).toBe('ABORTED');
    expect(told).toEqual(['op_1 ABORTED']);
  });
});
