import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPorts, type MemoryPorts } from '../../../../adapters/memory/memory-ports.ts';
import { AgentUnreachableError } from '../../../../core/agents/agent-errors.ts';
import { requestPowerChange } from '../../../../core/use-cases/request-power-change.ts';
import { sweepOperations } from '../../../../core/use-cases/sweep-operations.ts';
import { ACCOUNT, HOST, NOW } from './support/given-ports.ts';
import { anActiveSlice } from './support/use-case-steps.ts';

const SIX_MINUTES_LATER = '2025-03-01T10:06:00.000Z';

describe('sweepOperations', () => {
  let ports: MemoryPorts;

  beforeEach(() => {
    ports = createMemoryPorts({
      now: NOW,
      hosts: [{ id: HOST, region: 'fra1', url: 'https://a.fra1.test', secret: 'x'.repeat(40) }],
    });
  });

  async function aPowerChange(state: 'on' | 'off') {
    const slice = await anActiveSlice(ports, { power: state === 'on' ? 'off' : 'on' });
    return requestPowerChange(ports, { accountId: ACCOUNT, sliceId: slice.id, state });
  }

  it('reconciles the running operations whose execution has ended, and only those', async () => {
    const stopped = await aPowerChange('off');
    const timedOut = await aPowerChange('on');
    const stillRunning = await aPowerChange('off');
    ports.workflows.end(stopped.id, 'ABORTED');
    ports.workflows.end(timedOut.id, 'TIMED_OUT');
    ports.clock.set(SIX_MINUTES_LATER);

    const report = await sweepOperations(ports);

    expect(report).toEqual({
      checked: 3,
      reconciled: expect.arrayContaining([stopped.id, timedOut.id]),
      failed: [],
    });
    expect(report.reconciled).toHaveLength(2);
    expect((await ports.operations.get(ACCOUNT, stillRunning.id))?.status).toBe('running');
    expect((await ports.operations.get(ACCOUNT, timedOut.id))?.error).toMatchObject({
      code: 'WORKFLOW_TIMED_OUT',
    });
  });

  it('leaves operations younger than the grace period: their execution may be starting', async () => {
    const operation = await aPowerChange('off');
    ports.workflows.end(operation.id, 'ABORTED');

    const report = await sweepOperations(ports);

    expect(report.checked).toBe(0);
    expect((await ports.operations.get(ACCOUNT, operation.id))?.status).toBe('running');
  });

  it('reconciles an operation whose execution never started', async () => {
    const operation = await aPowerChange('off');
    ports.workflows.started.length = 0;
    ports.clock.set(SIX_MINUTES_LATER);

    const report = await sweepOperations(ports);

    expect(report.reconciled).toEqual([operation.id]);
    expect((await ports.operations.get(ACCOUNT, operation.id))?.error).toMatchObject({
      code: 'WORKFLOW_NOT_STARTED',
    });
  });

  it('reports an operation it could not finish and goes on with the others', async () => {
    const first = await aPowerChange('off');
    const second = await aPowerChange('off');
    ports.workflows.end(first.id, 'ABORTED');
    ports.workflows.end(second.id, 'ABORTED');
    ports.agents.answer('cancel', new AgentUnreachableError(HOST, 'down'), {});
    ports.clock.set(SIX_MINUTES_LATER);

    const report = await sweepOperations(ports);

    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.error).toContain('AgentUnreachable');
    expect(report.reconciled).toHaveLength(1);
  });
});
