import { describe, expect, it } from 'vitest';
import { reportAgentCallback } from '../../../../core/use-cases/report-agent-callback.ts';
import { WorkflowTaskGoneError } from '../../../../core/workflows/workflow-task-errors.ts';
import { givenPorts } from './support/given-ports.ts';

describe('reportAgentCallback', () => {
  const given = givenPorts(async (ports) => {
    ports.workflowTasks.wait('token-1');
    return {};
  });

  it('resumes the waiting task with the command result', async () => {
    const { ports } = given;
    await reportAgentCallback(ports, {
      kind: 'success',
      taskToken: 'token-1',
      result: { power: 'on' },
    });

    expect(ports.workflowTasks.reports).toEqual([
      { taskToken: 'token-1', kind: 'success', output: { power: 'on' } },
    ]);
  });

  it("fails the waiting task under the agent's error name", async () => {
    const { ports } = given;
    await reportAgentCallback(ports, {
      kind: 'failure',
      taskToken: 'token-1',
      error: { name: 'DiskExists', message: 'slice slc_1 already has a disk' },
    });

    expect(ports.workflowTasks.reports).toEqual([
      {
        taskToken: 'token-1',
        kind: 'failure',
        error: 'DiskExists',
        cause: 'slice slc_1 already has a disk',
      },
    ]);
  });

  it('keeps the waiting task alive on a heartbeat', async () => {
    const { ports } = given;
    await reportAgentCallback(ports, { kind: 'heartbeat', taskToken: 'token-1' });

    expect(ports.workflowTasks.reports).toEqual([{ taskToken: 'token-1', kind: 'heartbeat' }]);
  });

  it('says so when no task waits on the token any more', async () => {
    const { ports } = given;
    await reportAgentCallback(ports, { kind: 'success', taskToken: 'token-1', result: {} });

    await expect(
      reportAgentCallback(ports, { kind: 'heartbeat', taskToken: 'token-1' }),
    ).rejects.toThrow(WorkflowTaskGoneError);
  });
});
